// The same migrations run unchanged on both databases, and the rules they put in the schema hold.
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateDown, migrateToLatest, migrationStatus } from '../../server/db/migrate.ts';
import { backends, type TestDatabase } from '../helpers/databases.ts';

describe.each(backends())('migrations on $name', (backend) => {
  let t: TestDatabase;
  beforeAll(async () => {
    if (!backend.skip) t = await backend.open({ migrate: false });
  });
  afterAll(async () => t?.close());

  it.skipIf(backend.skip)('apply, report status, go all the way down and up again', async () => {
    const first = await migrateToLatest(t.db);
    const names = first.results!.map((r) => r.migrationName);
    expect(names.length).toBeGreaterThanOrEqual(4);
    expect((await migrateToLatest(t.db)).results).toEqual([]);
    expect((await migrationStatus(t.db)).every((m) => m.executedAt instanceof Date)).toBe(true);

    for (let i = 0; i < names.length; i++) await migrateDown(t.db);
    expect((await migrationStatus(t.db)).every((m) => m.executedAt === null)).toBe(true);
    const tables = await sql<{ n: string }>`
      select count(*) as n from information_schema.tables where table_schema = 'public' and table_name = 'response'`.execute(
      t.db,
    );
    expect(tables.rows[0]!.n).toBe('0');

    await migrateToLatest(t.db);
    expect((await migrationStatus(t.db)).every((m) => m.executedAt !== null)).toBe(true);
  });

  it.skipIf(backend.skip)('keeps published instrument versions immutable', async () => {
    await t.db
      .insertInto('instrument')
      .values({ id: 'imm-test', title: 'T', unit_type: 'participant', source_locale: 'nb' })
      .execute();
    const v = await t.db
      .insertInto('instrument_version')
      .values({
        instrument_id: 'imm-test',
        version: 1,
        content_hash: 'abc',
        definition: JSON.stringify({ pages: [] }),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await expect(
      t.db
        .updateTable('instrument_version')
        .set({ content_hash: 'changed' })
        .where('id', '=', v.id)
        .execute(),
    ).rejects.toThrow(/immutable/);
    await expect(t.db.deleteFrom('instrument_version').where('id', '=', v.id).execute()).rejects.toThrow(
      /immutable/,
    );
    const row = await t.db
      .selectFrom('instrument_version')
      .select('content_hash')
      .where('id', '=', v.id)
      .executeTakeFirstOrThrow();
    expect(row.content_hash).toBe('abc');
  });

  it.skipIf(backend.skip)('keeps the audit log append-only', async () => {
    await t.db.insertInto('audit_event').values({ actor_kind: 'system', action: 'test.event' }).execute();
    await expect(sql`update audit_event set action = 'rewritten'`.execute(t.db)).rejects.toThrow(
      /append-only/,
    );
    await expect(sql`delete from audit_event`.execute(t.db)).rejects.toThrow(/append-only/);
    const r = await t.db
      .selectFrom('audit_event')
      .select('action')
      .where('action', '=', 'test.event')
      .execute();
    expect(r).toHaveLength(1);
  });

  it.skipIf(backend.skip)('binds municipality accounts, and only them, to a municipality code', async () => {
    const base = { display_name: 'X', password_hash: null };
    await expect(
      t.db
        .insertInto('staff_user')
        .values({ ...base, email: 'm1@x.no', role: 'municipality', municipality_code: null })
        .execute(),
    ).rejects.toThrow(/staff_user_municipality_check/);
    await expect(
      t.db
        .insertInto('staff_user')
        .values({ ...base, email: 'a1@x.no', role: 'analyst', municipality_code: '0301' })
        .execute(),
    ).rejects.toThrow(/staff_user_municipality_check/);
    await t.db
      .insertInto('staff_user')
      .values({ ...base, email: 'm2@x.no', role: 'municipality', municipality_code: '030101' })
      .execute();
  });

  it.skipIf(backend.skip)('keeps tokens unique and one response per unit', async () => {
    await t.db
      .insertInto('instrument')
      .values({ id: 'wave-test', title: 'T', unit_type: 'participant', source_locale: 'nb' })
      .execute();
    const v = await t.db
      .insertInto('instrument_version')
      .values({ instrument_id: 'wave-test', version: 1, content_hash: 'h', definition: JSON.stringify({}) })
      .returning('id')
      .executeTakeFirstOrThrow();
    const w = await t.db
      .insertInto('wave')
      .values({
        instrument_id: 'wave-test',
        instrument_version_id: v.id,
        name: 'W',
        mode: 'census',
        unit_type: 'participant',
        locales: ['nb', 'ar'],
      })
      .returning(['id', 'locales', 'status'])
      .executeTakeFirstOrThrow();
    expect(w.locales).toEqual(['nb', 'ar']);
    expect(w.status).toBe('draft');
    const u = await t.db
      .insertInto('frame_unit')
      .values({ wave_id: w.id, external_id: 'p1' })
      .returning('id')
      .executeTakeFirstOrThrow();
    await t.db
      .insertInto('invitation')
      .values({ wave_id: w.id, frame_unit_id: u.id, token_hash: 'h1' })
      .execute();
    // A unit may hold several live links (an invitation's and a reminder's), but a token is never reused.
    await t.db
      .insertInto('invitation')
      .values({ wave_id: w.id, frame_unit_id: u.id, token_hash: 'h2', purpose: 'reminder' })
      .execute();
    await expect(
      t.db
        .insertInto('invitation')
        .values({ wave_id: w.id, frame_unit_id: u.id, token_hash: 'h1' })
        .execute(),
    ).rejects.toMatchObject({ code: '23505', constraint: 'invitation_token_hash_key' });
    await t.db
      .insertInto('response')
      .values({ wave_id: w.id, frame_unit_id: u.id, instrument_version_id: v.id, locale: 'ar' })
      .execute();
    await expect(
      t.db
        .insertInto('response')
        .values({ wave_id: w.id, frame_unit_id: u.id, instrument_version_id: v.id, locale: 'nb' })
        .execute(),
    ).rejects.toMatchObject({ code: '23505', constraint: 'response_frame_unit_key' });
  });
});
