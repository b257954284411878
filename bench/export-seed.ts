// Seeds the export benchmark: a generated 60-question instrument (40 radiogroup, 10 checkbox, 10 text), published
// the real way, and a closed sample wave of N synthetic responses written by one INSERT … SELECT over
// generate_series, with frame units in 15 municipalities (county strata, design and non-response weights).
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import type { Db } from '../server/db/connect.ts';
import { insertWave } from '../server/fieldwork/queries.ts';
import { publishInstrument } from '../server/surveys/service.ts';

type Json = Record<string, unknown>;

export const benchInstrumentId = 'bench-export';
const questionCount = 60;
const scale = [1, 2, 3, 4, 5, 98];
const checkboxChoices = [1, 2, 3, 4, 5, 6];
/** Texts that make a CSV writer quote and escape, in three scripts; null leaves the question unanswered. */
const texts = [
  'Bra.',
  'Jeg liker norskkurset, men vil ha mer praksis.',
  'Det er "greit", synes jeg;\nikke mer.',
  'البرنامج جيد، شكرا',
  'ኣዝዩ ጽቡቕ እዩ',
  null,
];

function question(i: number): Json {
  const name = `q${i}`;
  const title = `Spørsmål ${i}`;
  if (i % 6 === 5) return { type: 'checkbox', name, title, choices: checkboxChoices.map(choice) };
  if (i % 6 === 0) return { type: 'text', name, title };
  return { type: 'radiogroup', name, title, choices: scale.map(choice) };
}

function choice(value: number) {
  return { value, text: value === 98 ? 'Vet ikke' : `Svar ${value}` };
}

export const benchQuestions = Array.from({ length: questionCount }, (_, i) => question(i + 1));

/** Publishes the generated instrument from a temporary sources folder; returns the version's id. */
export async function publishBenchInstrument(db: Db): Promise<string> {
  const root = mkdtempSync(join(tmpdir(), 'svar-bench-export-'));
  try {
    const dir = join(root, 'surveys', benchInstrumentId);
    mkdirSync(join(dir, 'modules'), { recursive: true });
    mkdirSync(join(root, 'locales'));
    const instrument = {
      id: benchInstrumentId,
      title: 'Eksportbenk',
      sourceLocale: 'nb',
      targetLocales: [],
      unitType: 'participant',
      missingCodes: { '98': 'dont_know' },
      modules: [{ id: 'bench', kind: 'core' }],
    };
    const pages = Array.from({ length: questionCount / 10 }, (_, p) => ({
      name: `page${p + 1}`,
      elements: benchQuestions.slice(p * 10, p * 10 + 10),
    }));
    writeFileSync(join(dir, 'instrument.json'), JSON.stringify(instrument));
    const module = { id: 'bench', version: 1, kind: 'core', title: 'Benk', minorEdits: {}, pages };
    writeFileSync(join(dir, 'modules', 'bench.json'), JSON.stringify(module));
    const paths = { projectRoot: root, surveysDir: join(root, 'surveys'), localesDir: join(root, 'locales') };
    const published = await publishInstrument(db, paths, benchInstrumentId, { kind: 'cli' });
    const row = await db
      .selectFrom('instrument_version')
      .select('id')
      .where('instrument_id', '=', benchInstrumentId)
      .where('version', '=', published.version)
      .executeTakeFirstOrThrow();
    return row.id;
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

const literal = (v: number | string | null) =>
  v === null ? 'null' : typeof v === 'number' ? String(v) : `'${v.replace(/'/g, "''")}'`;
const pickOne = (values: (number | string | null)[]) =>
  `(array[${values.map(literal).join(', ')}])[1 + floor(random() * ${values.length})::int]`;

/** The answers jsonb of one row as SQL; jsonb_build_object takes at most 100 arguments, hence the chunks. */
export function answersExpression(): string {
  const pairs = benchQuestions.map((q) => {
    const values = (q.choices as { value: number }[] | undefined)?.map((c) => c.value) ?? [];
    const value =
      q.type === 'checkbox'
        ? `to_jsonb(array_remove(array[${values.map((v) => `case when random() < 0.35 then ${v} end`).join(', ')}], null))`
        : q.type === 'text'
          ? pickOne(texts)
          : pickOne([...values, null]);
    return `'${q.name}', ${value}`;
  });
  const chunks: string[] = [];
  for (let i = 0; i < pairs.length; i += 40)
    chunks.push(`jsonb_build_object(${pairs.slice(i, i + 40).join(', ')})`);
  return `jsonb_strip_nulls(${chunks.join(' || ')})`;
}

/** 15 municipalities in 12 counties, each with its own inclusion probability, so weights differ by stratum. */
const municipalities = [
  ['0301', '03', 0.04, 'nb'],
  ['4601', '46', 0.05, 'ar'],
  ['5001', '50', 0.06, 'ti'],
  ['1103', '11', 0.07, 'so'],
  ['1108', '11', 0.07, 'nb'],
  ['3201', '32', 0.08, 'prs'],
  ['3205', '32', 0.08, 'nb'],
  ['4204', '42', 0.09, 'ur'],
  ['3301', '33', 0.1, 'en'],
  ['3107', '31', 0.11, 'nb'],
  ['5501', '55', 0.12, 'ar'],
  ['4003', '40', 0.13, 'nb'],
  ['1804', '18', 0.14, 'ti'],
  ['1508', '15', 0.15, 'nb'],
  ['3403', '34', 0.16, 'so'],
] as const;

/** A closed sample wave of `rows` responses (90 % completed); returns its id. */
export async function seedWave(db: Db, versionId: string, rows: number): Promise<string> {
  const wave = await insertWave(db, {
    instrumentId: benchInstrumentId,
    versionId,
    name: `Benk ${rows}`,
    mode: 'sample',
    unitType: 'participant',
    locales: ['nb', 'nn', 'en', 'ar', 'ti', 'so', 'prs', 'ur'],
    allowDraftLocales: true,
    opensAt: null,
    closesAt: null,
  });
  const values = municipalities
    .map(([code, county, p, locale], i) => `(${i}, '${code}', '${county}', ${p}::float8, '${locale}')`)
    .join(', ');
  await sql`
    insert into frame_unit (wave_id, external_id, municipality_code, preferred_locale, selected, stratum,
                            inclusion_probability, design_weight)
    select ${wave.id}, 'b' || g, m.code, m.locale, true, m.county, m.p, 1 / m.p
    from generate_series(1, ${rows}::int) g
    join (values ${sql.raw(values)}) as m(i, code, county, p, locale) on m.i = g % ${municipalities.length}`.execute(
    db,
  );
  // random() in the inner select list is drawn per row; the outer query reads each draw more than once. Every
  // answer gets the {by, dev, at, rev} the save path records (ADR 5), so rows weigh what real ones do.
  await sql`
    insert into response (wave_id, frame_unit_id, instrument_version_id, locale, status, answers, answer_meta,
                          current_page, started_at, updated_at, last_saved_at, completed_at, nonresponse_weight,
                          locales_used, device_class)
    select f.wave_id, f.id, ${versionId}, f.preferred_locale,
           case when f.done then 'completed' else 'in_progress' end, f.answers,
           (select coalesce(jsonb_object_agg(k, jsonb_build_object('by', 'respondent', 'dev', 'bench',
                   'at', f.t + f.d, 'rev', 1)), '{}'::jsonb) from jsonb_object_keys(f.answers) k),
           'page6', f.t, f.t + f.d, f.t + f.d, case when f.done then f.t + f.d end,
           case when f.done then f.design_weight / 0.9 end, array[f.preferred_locale],
           (array['mobile', 'desktop', 'tablet'])[1 + floor(f.r * 3)::int]
    from (select fu.*, random() < 0.9 as done, random() as r, ${sql.raw(answersExpression())} as answers,
                 timestamptz '2026-01-12 08:00+00' + random() * interval '28 days' as t,
                 random() * interval '30 minutes' as d
          from frame_unit fu where fu.wave_id = ${wave.id}) f`.execute(db);
  await sql`update wave set status = 'closed', opened_at = now(), closed_at = now(),
            sampling = ${JSON.stringify({ bench: true })}::jsonb where id = ${wave.id}`.execute(db);
  await sql`analyze frame_unit, response`.execute(db);
  return wave.id;
}

/** Empties every wave before the next size, so each size is measured on a table of its own rows only. */
export async function clearWaves(db: Db): Promise<void> {
  await sql`truncate wave cascade`.execute(db);
}

/** PostgreSQL's own CSV of the same rows: the response id and each question's answer as text. */
export function copyQuery(waveId: string): string {
  const columns = benchQuestions.map((q) => `answers->>'${q.name}'`).join(', ');
  return `select id, ${columns} from response where wave_id = '${waveId}'`;
}
