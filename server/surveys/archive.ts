// Archived versions: a published version written to `surveys/<instrument>/versions/<n>.json` exactly as it is
// stored (definition with every translation, language states, codebook, change log), so a fresh database can be
// given the same version history as production before the sources publish the next one. An archive is
// immutable: writing a different one over it is refused, and a digest of its content catches hand edits.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { z } from 'zod';
import { recordAudit } from '../audit/queries.ts';
import type { Db } from '../db/connect.ts';
import { ConflictError, NotFoundError, ValidationError } from '../http/errors.ts';
import type { Actor } from '../staff/service.ts';
import { canonicalJson } from './compile.ts';
import * as q from './queries.ts';
import type { ChangelogEntry, PublishResult } from './service.ts';

const archiveSchema = z.object({
  format: z.literal('svar-instrument-version/1'),
  instrument: z.object({
    id: z.string().min(1),
    title: z.string(),
    unitType: z.enum(['participant', 'municipality']),
    sourceLocale: z.string().min(2),
  }),
  version: z.number().int().min(1),
  contentHash: z.string().regex(/^[0-9a-f]{64}$/),
  /** SHA-256 of the canonical JSON of the four stored parts below: an edited archive no longer matches it. */
  digest: z.string().regex(/^[0-9a-f]{64}$/),
  definition: z.record(z.string(), z.unknown()),
  codebook: z.record(z.string(), z.unknown()),
  locales: z.array(z.record(z.string(), z.unknown())),
  changelog: z.array(
    z.object({ kind: z.enum(['published', 'minor_edit']), code: z.string().optional(), note: z.string() }),
  ),
});
export type ArchivedVersion = z.infer<typeof archiveSchema>;

function digestOf(a: Pick<ArchivedVersion, 'definition' | 'codebook' | 'locales' | 'changelog'>): string {
  const parts = {
    definition: a.definition,
    codebook: a.codebook,
    locales: a.locales,
    changelog: a.changelog,
  };
  return createHash('sha256').update(canonicalJson(parts)).digest('hex');
}

export function archivePath(surveysDir: string, instrumentId: string, version: number): string {
  return join(surveysDir, instrumentId, 'versions', `${version}.json`);
}

/** The archives an instrument has, oldest first, each checked to be the version of the instrument its path names. */
export function readArchives(surveysDir: string, instrumentId: string): ArchivedVersion[] {
  const dir = join(surveysDir, instrumentId, 'versions');
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => /^\d+\.json$/.test(f))
    .sort((a, b) => Number.parseInt(a, 10) - Number.parseInt(b, 10))
    .map((f) => {
      const archive = readArchive(join(dir, f));
      if (archive.instrument.id !== instrumentId || `${archive.version}.json` !== f)
        throw new ValidationError(
          `${join(dir, f)} holds version ${archive.version} of ${archive.instrument.id}, not what its path says.`,
          [{ name: join(dir, f), reason: `${archive.instrument.id} ${archive.version}` }],
          'archive_misplaced',
        );
      return archive;
    });
}

/** A stored version as an archive: the row exactly as published, not the review workflow's later states. */
export async function archiveOf(db: Db, instrumentId: string, version: number): Promise<ArchivedVersion> {
  const row = await q.findVersion(db, instrumentId, version);
  const instrument = await q.findInstrument(db, instrumentId);
  if (!row || !instrument)
    throw new NotFoundError(`No version ${version} of instrument ${instrumentId}.`, 'version_not_found');
  const stored = {
    definition: row.definition as Record<string, unknown>,
    codebook: row.codebook as Record<string, unknown>,
    locales: row.locales as unknown as Record<string, unknown>[],
    changelog: row.changelog as ChangelogEntry[],
  };
  return {
    format: 'svar-instrument-version/1',
    instrument: {
      id: instrument.id,
      title: instrument.title,
      unitType: instrument.unit_type,
      sourceLocale: instrument.source_locale,
    },
    version: row.version,
    contentHash: row.content_hash,
    digest: digestOf(stored),
    ...stored,
  };
}

/** Writes the archive; the same content again is a no-op, other content over an existing archive is refused. */
export function writeArchive(file: string, archive: ArchivedVersion): { written: boolean } {
  const text = `${JSON.stringify(archive, null, 1)}\n`;
  if (existsSync(file)) {
    const before = readArchive(file);
    if (before.contentHash === archive.contentHash && before.digest === archive.digest)
      return { written: false };
    throw new ConflictError(
      'archive_exists',
      `${file} already holds another version ${before.version} (content hash ${before.contentHash.slice(0, 12)}…); archives never change.`,
    );
  }
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, text);
  return { written: true };
}

export function readArchive(file: string): ArchivedVersion {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new ValidationError(
      `${file} is not a readable archive.`,
      [{ name: file, reason: (err as Error).message }],
      'invalid_archive',
    );
  }
  const parsed = archiveSchema.safeParse(json);
  if (!parsed.success)
    throw new ValidationError(
      `${file} is not an archived version.`,
      parsed.error.issues.map((i) => ({ name: i.path.join('.') || '(file)', reason: i.message })),
      'invalid_archive',
    );
  if (digestOf(parsed.data) !== parsed.data.digest)
    throw new ValidationError(
      `${file} was changed after it was archived.`,
      [{ name: 'digest', reason: 'the content no longer matches the digest written with it' }],
      'archive_changed',
    );
  return parsed.data;
}

/**
 * Stores an archived version as it was. Nothing happens when its content is already published (the content hash
 * rule, as for sources); otherwise it must be the instrument's next version number, so history keeps its order.
 */
export async function publishArchive(db: Db, archive: ArchivedVersion, actor: Actor): Promise<PublishResult> {
  const id = archive.instrument.id;
  return db.transaction().execute(async (trx) => {
    await q.upsertInstrument(trx, archive.instrument);
    await q.lockInstrument(trx, id);
    const same = await q.findVersionByHash(trx, id, archive.contentHash);
    const unchanged = {
      instrumentId: id,
      contentHash: archive.contentHash,
      created: false,
      changelog: [],
      diff: null,
    };
    if (same) return { ...unchanged, version: same.version };
    const latest = (await q.listVersionCodebooks(trx, id))[0]?.version ?? 0;
    if (archive.version !== latest + 1)
      throw new ConflictError(
        'archive_out_of_order',
        `${id} has ${latest} version(s) already: archived version ${archive.version} can only follow version ${archive.version - 1}.`,
      );
    await q.insertVersion(trx, {
      instrumentId: id,
      version: archive.version,
      contentHash: archive.contentHash,
      definition: archive.definition,
      codebook: archive.codebook,
      locales: archive.locales,
      changelog: archive.changelog,
      publishedBy: actor.kind === 'staff' ? (actor.id ?? null) : null,
    });
    await recordAudit(trx, {
      actor,
      action: 'instrument.version_published',
      subject: { kind: 'instrument', id },
      details: { version: archive.version, contentHash: archive.contentHash, from: 'archive' },
    });
    return { ...unchanged, version: archive.version, created: true, changelog: archive.changelog };
  });
}
