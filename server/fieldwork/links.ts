// Respondent links after a wave opens: the distribution list for an external mail/SMS provider, reissuing a lost
// link, and reminder rounds. Tokens exist only in these results: Svar keeps their hashes.
import { stringify } from 'csv-stringify/sync';
import { recordAudit } from '../audit/queries.ts';
import type { Db } from '../db/connect.ts';
import { ConflictError, NotFoundError } from '../http/errors.ts';
import type { Actor } from '../staff/service.ts';
import { type IssuedLink, issueLinks } from './issue-links.ts';
import * as q from './queries.ts';

export function linkUrl(publicBaseUrl: string, token: string): string {
  return `${publicBaseUrl}/s/${token}`;
}

export function optOutUrl(publicBaseUrl: string, token: string): string {
  return `${publicBaseUrl}/s/${token}?optout=1`;
}

/** CSV (UTF-8 with BOM, semicolons: opens as columns in Norwegian Excel) with each unit's link and contact fields. */
export async function distributionList(
  db: Db,
  waveId: string,
  links: IssuedLink[],
  publicBaseUrl: string,
): Promise<string> {
  const units = new Map((await q.listFrameUnits(db, waveId)).map((u) => [u.id, u]));
  const rows = links.map((l) => {
    const u = units.get(l.frameUnitId);
    return {
      external_id: l.externalId,
      link: linkUrl(publicBaseUrl, l.token),
      opt_out_link: optOutUrl(publicBaseUrl, l.token),
      preferred_language: l.locale ?? '',
      municipality_code: u?.municipality_code ?? '',
      name: u?.name ?? '',
      email: u?.email ?? '',
      phone: u?.phone ?? '',
    };
  });
  return `\uFEFF${stringify(rows, { header: true, delimiter: ';', columns: Object.keys(rows[0] ?? { external_id: '', link: '' }) })}`;
}

/** Replaces a unit's links with a new one (a lost or leaked link): the old ones stop working at once. */
export async function reissueLink(
  db: Db,
  waveId: string,
  externalId: string,
  actor: Actor,
  now: Date,
): Promise<IssuedLink> {
  return db.transaction().execute(async (trx) => {
    const wave = await q.findWave(trx, waveId);
    if (!wave) throw new NotFoundError('No such wave.', 'wave_not_found');
    if (wave.status !== 'open')
      throw new ConflictError('wave_not_open', 'Links are reissued only while the wave is open.');
    const unit = (await q.listFrameUnits(trx, waveId)).find(
      (u) => u.external_id === externalId && u.selected,
    );
    if (!unit) throw new NotFoundError(`No selected unit ${externalId} in this wave.`, 'unit_not_found');
    await q.revokeLiveInvitations(trx, unit.id, now);
    const [link] = await issueLinks(
      trx,
      waveId,
      [{ frameUnitId: unit.id, externalId, locale: unit.preferred_locale }],
      'reissue',
    );
    await recordAudit(trx, {
      actor,
      action: 'invitation.reissued',
      subject: { kind: 'frame_unit', id: unit.id },
    });
    return link!;
  });
}

/**
 * A reminder round: a new link for every selected unit that has not completed and has not opted out. Earlier
 * links keep working (a respondent may be half-way on one).
 */
export async function issueReminderLinks(
  db: Db,
  waveId: string,
  actor: Actor,
  now: Date,
): Promise<IssuedLink[]> {
  return db.transaction().execute(async (trx) => {
    const wave = await q.findWave(trx, waveId);
    if (!wave) throw new NotFoundError('No such wave.', 'wave_not_found');
    if (wave.status !== 'open')
      throw new ConflictError('wave_not_open', 'Reminders go out only while the wave is open.');
    const states = await q.listSelectedUnitStates(trx, waveId);
    const units = new Map((await q.listFrameUnits(trx, waveId)).map((u) => [u.id, u]));
    const due = states.filter((s) => s.response_status !== 'completed' && !s.opted_out_at);
    const links = await issueLinks(
      trx,
      waveId,
      due.map((s) => ({
        frameUnitId: s.id,
        externalId: units.get(s.id)!.external_id,
        locale: s.response_locale ?? s.preferred_locale,
      })),
      'reminder',
    );
    await recordAudit(trx, {
      actor,
      action: 'wave.reminders_issued',
      subject: { kind: 'wave', id: waveId },
      details: { units: links.length },
      at: now,
    });
    return links;
  });
}
