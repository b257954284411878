// The distribution list: a CSV (UTF-8 with BOM, semicolons: opens as columns in Norwegian Excel) with each unit's
// link and contact fields, for an external mail/SMS provider. Written page by page as a round's links are issued,
// so a national round never holds its list in memory.
import { open, rename, rm } from 'node:fs/promises';
import { stringify } from 'csv-stringify/sync';
import type { IssuedLink } from './issue-links.ts';

/** An issued link with the unit's contact fields, one row of the list. */
export interface ListedLink extends IssuedLink {
  municipalityCode: string | null;
  name: string | null;
  email: string | null;
  phone: string | null;
}

/** Receives each page of a round's new links, in external id order; awaited before the next page is issued. */
export type ListSink = (round: number, links: ListedLink[]) => Promise<void>;

const columns = [
  'external_id',
  'link',
  'opt_out_link',
  'preferred_language',
  'municipality_code',
  'name',
  'email',
  'phone',
];

export function linkUrl(publicBaseUrl: string, token: string): string {
  return `${publicBaseUrl}/s/${token}`;
}

export function optOutUrl(publicBaseUrl: string, token: string): string {
  return `${publicBaseUrl}/s/${token}?optout=1`;
}

/** The list's first bytes: the BOM and the header line. */
export function listHeader(): string {
  return `\uFEFF${stringify([columns], { delimiter: ';' })}`;
}

/** The lines of a page of links. */
export function listLines(links: ListedLink[], publicBaseUrl: string): string {
  return stringify(
    links.map((l) => [
      l.externalId,
      linkUrl(publicBaseUrl, l.token),
      optOutUrl(publicBaseUrl, l.token),
      l.locale ?? '',
      l.municipalityCode ?? '',
      l.name ?? '',
      l.email ?? '',
      l.phone ?? '',
    ]),
    { delimiter: ';' },
  );
}

/** A unit row of the round queries (queue-round-queries.ts) as the link it is about to get. */
export function toListed(
  u: {
    id: string;
    external_id: string;
    municipality_code: string | null;
    name: string | null;
    email: string | null;
    phone: string | null;
  },
  locale: string | null,
): Omit<ListedLink, 'token'> {
  return {
    frameUnitId: u.id,
    externalId: u.external_id,
    locale,
    municipalityCode: u.municipality_code,
    name: u.name,
    email: u.email,
    phone: u.phone,
  };
}

/**
 * A distribution list file written page by page as links are issued. It is written as `FILE.partial` and renamed
 * to FILE only once the round is committed, so FILE never holds links that do not work; a `.partial` left by a
 * crash after the commit holds working links (and `svar wave links --round N` produces the round again anyway).
 */
export async function openListFile(path: string, publicBaseUrl: string) {
  const partial = `${path}.partial`;
  const file = await open(partial, 'w', 0o600);
  await file.write(listHeader());
  let written = 0;
  const sink: ListSink = async (_round, links) => {
    await file.write(listLines(links, publicBaseUrl));
    written += links.length;
  };
  return {
    sink,
    written: () => written,
    /** After the commit: the list is complete and its links work. */
    async keep() {
      await file.sync();
      await file.close();
      await rename(partial, path);
    },
    /** The round was rolled back: its links never worked. */
    async discard() {
      await file.close().catch(() => {});
      await rm(partial, { force: true });
    },
  };
}
