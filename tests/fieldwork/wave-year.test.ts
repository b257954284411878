// A wave created in December without an opening date, opened in January: its texts say the new year, so it runs
// the new year's themes too (server/fieldwork/wave-year.ts). Themes chosen by hand stay; a year the plan does not
// name refuses the opening and changes nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openWaveRound } from '../../server/fieldwork/queue-rounds.ts';
import { addUnits, createWave } from '../../server/fieldwork/service.ts';
import { publishInstrument } from '../../server/surveys/service.ts';
import { backends, type TestDatabase } from '../helpers/databases.ts';
import { municipalWorkspace } from '../helpers/municipal-workspace.ts';

const cli = { kind: 'cli' } as const;
const core = ['part-a', 'core', 'imdi-services'];
const december = new Date('2026-12-10T10:00:00Z');
const january = new Date('2027-01-05T08:00:00Z');

describe.each(backends())('a wave opened in another year than it was created in, on $name', (backend) => {
  let t: TestDatabase;
  let paths: ReturnType<typeof municipalWorkspace>;
  beforeAll(async () => {
    if (backend.skip) return;
    t = await backend.open();
    paths = municipalWorkspace();
    await publishInstrument(t.db, paths, 'municipal-survey', cli);
  }, 120_000);
  afterAll(async () => {
    paths?.remove();
    await t?.close();
  });

  const created = async (name: string, themes?: string[]) => {
    const wave = await createWave(
      t.db,
      {
        instrumentId: 'municipal-survey',
        version: 1,
        name,
        mode: 'census',
        locales: ['nb', 'nn'],
        allowDraftLocales: true,
        ...(themes ? { themes } : {}),
      },
      cli,
      { paths, now: december },
    );
    await addUnits(t.db, wave.id, [{ externalId: '4601', municipalityCode: '4601' }]);
    return wave;
  };
  const stored = (id: string) =>
    t.db
      .selectFrom('wave')
      .select(['status', 'modules', 'modules_year'])
      .where('id', '=', id)
      .executeTakeFirstOrThrow();

  it.skipIf(backend.skip)('takes the themes of the year it opens in, and says so', async () => {
    const wave = await created('Kommuneundersøkelsen, laget i desember');
    expect(await stored(wave.id)).toMatchObject({
      modules: [...core, 'theme-unaccompanied-minors', 'theme-interpreters', 'theme-volunteering'],
      modules_year: 2026,
    });
    const round = await openWaveRound(t.db, wave.id, cli, january, { mail: false, paths });
    const modules2027 = [...core, 'theme-settlement', 'theme-interpreters'];
    expect(round.themesForYear).toEqual({ year: 2027, modules: modules2027 });
    expect(round.links).toHaveLength(1);
    expect(await stored(wave.id)).toEqual({ status: 'open', modules: modules2027, modules_year: 2027 });
    const audit = await t.db
      .selectFrom('audit_event')
      .select(['action', 'details'])
      .where('subject_id', '=', wave.id)
      .where('action', '=', 'wave.themes_for_opening_year')
      .execute();
    expect(audit).toHaveLength(1);
    expect(audit[0]!.details).toMatchObject({ createdFor: 2026, year: 2027, to: modules2027 });
  });

  it.skipIf(backend.skip)('keeps themes chosen by hand, and a wave opened in its own year', async () => {
    const byHand = await created('Med valgte temaer', ['theme-volunteering']);
    const sameYear = await created('Åpnet samme år');
    const byHandRound = await openWaveRound(t.db, byHand.id, cli, january, { mail: false, paths });
    const sameYearRound = await openWaveRound(t.db, sameYear.id, cli, new Date('2026-12-14T08:00:00Z'), {
      mail: false,
      paths,
    });
    expect(byHandRound.themesForYear).toBeUndefined();
    expect(sameYearRound.themesForYear).toBeUndefined();
    expect((await stored(byHand.id)).modules).toEqual([...core, 'theme-volunteering']);
    expect((await stored(sameYear.id)).modules_year).toBe(2026);
  });

  it.skipIf(backend.skip)('refuses to open in a year the plan does not name, changing nothing', async () => {
    const wave = await created('Åpnet for sent');
    const before = await stored(wave.id);
    await expect(
      openWaveRound(t.db, wave.id, cli, new Date('2031-01-06T08:00:00Z'), { mail: false, paths }),
    ).rejects.toMatchObject({ status: 422, code: 'wave_year_not_in_rotation' });
    expect(await stored(wave.id)).toEqual(before);
    const links = await t.db
      .selectFrom('invitation')
      .select((eb) => eb.fn.countAll().as('n'))
      .where('wave_id', '=', wave.id)
      .executeTakeFirstOrThrow();
    expect(Number(links.n)).toBe(0);
  });
});
