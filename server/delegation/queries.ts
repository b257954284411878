// All SQL of delegation: delegates (links), their contact data, the live delegation of each section, and the
// staff view of a municipal wave's units.
import { sql } from 'kysely';
import type { Executor } from '../audit/queries.ts';
import { invitedUnit } from '../fieldwork/queries.ts';

/** The delegate behind a token hash, with its municipality's wave and pinned version. */
export function findDelegateByTokenHash(db: Executor, tokenHash: string) {
  return db
    .selectFrom('delegate')
    .innerJoin('wave', 'wave.id', 'delegate.wave_id')
    .innerJoin('instrument_version', 'instrument_version.id', 'wave.instrument_version_id')
    .select([
      'delegate.id as delegate_id',
      'delegate.frame_unit_id',
      'delegate.locale as delegate_locale',
      'delegate.revoked_at',
      'wave.id as wave_id',
      'wave.status as wave_status',
      'wave.locales as wave_locales',
      'wave.opens_at',
      'wave.closes_at',
      'wave.opened_at as wave_opened_at',
      'wave.modules as wave_modules',
      'instrument_version.id as version_id',
      'instrument_version.instrument_id',
      'instrument_version.version',
      'instrument_version.locales as version_locales',
    ])
    .where('delegate.token_hash', '=', tokenHash)
    .executeTakeFirst();
}

/**
 * The live delegations of a wave (or of one municipality in it), with the delegate's language, and its name and
 * address only when asked for (contact data).
 */
export function listLiveDelegations(
  db: Executor,
  waveId: string,
  opts: { frameUnitId?: string; delegateId?: string; withContact?: boolean } = {},
) {
  let query = db
    .selectFrom('delegation')
    .innerJoin('delegate', 'delegate.id', 'delegation.delegate_id')
    .leftJoin('delegate_contact', 'delegate_contact.delegate_id', 'delegate.id')
    .select([
      'delegation.frame_unit_id',
      'delegation.section',
      'delegation.delegate_id',
      'delegation.created_at',
      'delegation.done_at',
      'delegate.locale',
    ])
    .$if(opts.withContact === true, (qb) =>
      qb.select(['delegate_contact.name as contact_name', 'delegate_contact.email as contact_email']),
    )
    .where('delegation.wave_id', '=', waveId)
    .where('delegation.ended_at', 'is', null);
  if (opts.frameUnitId) query = query.where('delegation.frame_unit_id', '=', opts.frameUnitId);
  if (opts.delegateId) query = query.where('delegation.delegate_id', '=', opts.delegateId);
  return query.orderBy('delegation.created_at').execute();
}

/** Live delegations as the pure status code takes them. */
export function toLiveDelegation(row: Awaited<ReturnType<typeof listLiveDelegations>>[number]) {
  const contact = row as { contact_name?: string | null; contact_email?: string | null };
  return {
    section: row.section,
    delegateId: row.delegate_id,
    delegatedAt: row.created_at,
    doneAt: row.done_at,
    locale: row.locale,
    ...('contact_name' in contact
      ? { name: contact.contact_name ?? null, email: contact.contact_email ?? null }
      : {}),
  };
}

export async function insertDelegate(
  db: Executor,
  row: {
    waveId: string;
    frameUnitId: string;
    tokenHash: string;
    locale: string;
    name: string;
    email: string;
    at: Date;
  },
): Promise<string> {
  const { id } = await db
    .insertInto('delegate')
    .values({
      wave_id: row.waveId,
      frame_unit_id: row.frameUnitId,
      token_hash: row.tokenHash,
      locale: row.locale,
      created_at: row.at,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await db
    .insertInto('delegate_contact')
    .values({ delegate_id: id, name: row.name, email: row.email })
    .execute();
  return id;
}

/** Delegate links created for a municipality since a moment: the daily cap on new links (and mails). */
export async function countDelegatesSince(db: Executor, frameUnitId: string, since: Date): Promise<number> {
  const row = await db
    .selectFrom('delegate')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('frame_unit_id', '=', frameUnitId)
    .where('created_at', '>', since)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Ends the live delegation of these sections; returns the sections and delegates that had one. */
export function endLiveDelegations(
  db: Executor,
  frameUnitId: string,
  sections: string[],
  reason: 'redelegated' | 'taken_back',
  at: Date,
) {
  return db
    .updateTable('delegation')
    .set({ ended_at: at, ended_reason: reason })
    .where('frame_unit_id', '=', frameUnitId)
    .where('section', 'in', sections)
    .where('ended_at', 'is', null)
    .returning(['section', 'delegate_id'])
    .execute();
}

export async function insertDelegations(
  db: Executor,
  row: { waveId: string; frameUnitId: string; delegateId: string; sections: string[]; at: Date },
): Promise<void> {
  await db
    .insertInto('delegation')
    .values(
      row.sections.map((section) => ({
        wave_id: row.waveId,
        frame_unit_id: row.frameUnitId,
        section,
        delegate_id: row.delegateId,
        created_at: row.at,
      })),
    )
    .execute();
}

/** Revokes the links of these delegates that no longer hold any live section. */
export async function revokeDelegatesWithoutSections(db: Executor, delegateIds: string[], at: Date) {
  if (delegateIds.length === 0) return [];
  return db
    .updateTable('delegate')
    .set({ revoked_at: at })
    .where('id', 'in', delegateIds)
    .where('revoked_at', 'is', null)
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('delegation')
            .select(sql`1`.as('one'))
            .whereRef('delegation.delegate_id', '=', 'delegate.id')
            .where('delegation.ended_at', 'is', null),
        ),
      ),
    )
    .returning('id')
    .execute();
}

/** Marks a delegate's live sections done (or open again). */
export function setSectionsDone(db: Executor, delegateId: string, sections: string[], doneAt: Date | null) {
  return db
    .updateTable('delegation')
    .set({ done_at: doneAt })
    .where('delegate_id', '=', delegateId)
    .where('section', 'in', sections)
    .where('ended_at', 'is', null)
    .returning('section')
    .execute();
}

/**
 * The selected units of a wave with their response (status and answers), in order of external id; limited to one
 * municipality code and what starts with it (Oslo 0301 holds its districts 0301xx) when one is given.
 */
export function listUnitsWithResponse(
  db: Executor,
  waveId: string,
  opts: { municipalityCode: string | null },
) {
  return db
    .selectFrom('frame_unit')
    .leftJoin('response', 'response.frame_unit_id', 'frame_unit.id')
    .select((eb) => [
      'frame_unit.id',
      'frame_unit.external_id',
      'frame_unit.municipality_code',
      'frame_unit.attributes',
      'response.status as response_status',
      'response.answers',
      invitedUnit(eb).as('invited'),
    ])
    .where('frame_unit.wave_id', '=', waveId)
    .where('frame_unit.selected', '=', true)
    .$if(opts.municipalityCode !== null, (qb) =>
      qb.where(sql<boolean>`starts_with(frame_unit.municipality_code, ${opts.municipalityCode})`),
    )
    .orderBy('frame_unit.external_id')
    .execute();
}
