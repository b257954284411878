// Reading a response by link outside opening the page: the answers this link may see (a delegate: its sections
// only; naming any other question is refused) and the section statuses, for pages that refresh while others work.
import type { Db } from '../db/connect.ts';
import type { SectionStatus } from '../delegation/status.ts';
import { resolveLink } from './links.ts';
import * as q from './queries.ts';
import { outsideDelegation, sectionMapOfLink, sectionsOfLink } from './service.ts';
import { pick, readableCodes, revisionsOf, roleOfWriter } from './view.ts';

export async function readAnswers(db: Db, token: string, codes: string[] | null, now: Date) {
  const link = await resolveLink(db, token, now);
  const map =
    link.unitType === 'municipality' ? await sectionMapOfLink(db, link.versionId, link.waveModules) : null;
  const readable = readableCodes(link, map);
  const outside = codes && readable ? codes.filter((c) => !readable.has(c)) : [];
  if (outside.length) throw outsideDelegation(outside);
  const asked = codes ? new Set(codes.filter((c) => !readable || readable.has(c))) : readable;
  const response = await q.findResponse(db, link.frameUnitId);
  // A participant's submitted answers are not sent back, as on the page.
  const shown = response && (response.status === 'in_progress' || link.unitType === 'municipality');
  const answers = shown ? pick(response.answers, asked) : {};
  const meta = shown ? response.answer_meta : {};
  const revs = revisionsOf(meta, asked);
  return {
    status: response?.status ?? 'in_progress',
    answers,
    revs,
    meta: Object.fromEntries(
      Object.keys(revs).map((code) => [
        code,
        { by: meta[code]!.by, byRole: roleOfWriter(meta[code]!.by), at: meta[code]!.at },
      ]),
    ),
  };
}

export async function readSections(
  db: Db,
  token: string,
  now: Date,
): Promise<{ status: 'in_progress' | 'completed'; readOnly: boolean; sections: SectionStatus[] }> {
  const link = await resolveLink(db, token, now);
  const response = await q.findResponse(db, link.frameUnitId);
  const status = response?.status ?? 'in_progress';
  if (link.unitType !== 'municipality') return { status, readOnly: status === 'completed', sections: [] };
  const map = await sectionMapOfLink(db, link.versionId, link.waveModules);
  return {
    status,
    readOnly: status === 'completed',
    sections: await sectionsOfLink(db, link, map, response?.answers ?? {}),
  };
}
