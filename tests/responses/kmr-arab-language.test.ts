// Badini (northern Kurdish in Arabic script, kmr-Arab) beside Kurmanji (kmr, Latin): told apart by name, chosen by
// invitation, frame or browser, right to left, and round-tripped through XLIFF like any other language.
import { cpSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { transliterateBadini } from '../../scripts/transliterate-badini.ts';
import { toLanguage } from '../../server/fieldwork/frame-checks.ts';
import { renderMail } from '../../server/fieldwork/mail.ts';
import { addUnits, createWave, openWave } from '../../server/fieldwork/service.ts';
import { directionOf, findLanguage, languages, negotiateLocale } from '../../server/surveys/languages.ts';
import { publishInstrument } from '../../server/surveys/service.ts';
import { exportTranslations, importTranslations } from '../../server/surveys/translation-service.ts';
import { makeApp, TestClock } from '../helpers/app.ts';
import { backends, type TestDatabase } from '../helpers/databases.ts';
import { realPaths, type SurveyWorkspace, surveyWorkspace } from '../helpers/surveys.ts';

const offered = languages.map((l) => l.code);

describe('kmr-Arab among the languages', () => {
  it('is right to left and named apart from Kurmanji and Sorani', () => {
    expect(directionOf('kmr-Arab')).toBe('rtl');
    expect(directionOf('kmr')).toBe('ltr');
    const names = ['kmr', 'kmr-Arab', 'ckb'].map((c) => findLanguage(c)!.name);
    expect(new Set(names).size).toBe(3);
    expect(names[1]).toMatch(/بادینی/);
  });

  it.each([
    ['kmr-Arab', 'kmr-Arab'],
    ['kmr-arab;q=0.9, en;q=0.5', 'kmr-Arab'], // case-blind, as BCP 47 is
    ['KMR-ARAB-IQ', 'kmr-Arab'], // a region does not change the language
    ['ku', 'kmr'],
    ['ku-Arab', 'ckb'], // Kurdish in Arabic script is Sorani unless it says northern Kurdish
    ['ku-Arab-IQ', 'ckb'],
    ['kmr', 'kmr'],
    ['kmr-Latn-TR', 'kmr'],
  ])('Accept-Language %s → %s', (header, expected) => {
    expect(negotiateLocale(header, offered)).toBe(expected);
  });

  it('falls back to Kurmanji when a wave offers no Badini', () => {
    expect(negotiateLocale('kmr-Arab', ['nb', 'kmr'])).toBe('kmr');
  });

  it('reads kmr-Arab in a frame case-blind', () => {
    expect(['kmr-Arab', 'KMR-ARAB', 'kmr_arab', 'kmr'].map(toLanguage)).toEqual([
      'kmr-Arab',
      'kmr-Arab',
      'kmr-Arab',
      'kmr',
    ]);
  });
});

describe('a Badini invitation', () => {
  it('is the Badini text, right to left, its placeholders filled', () => {
    const badini = JSON.parse(readFileSync('locales/kmr-Arab/mail.json', 'utf8')) as Record<string, string>;
    const mail = renderMail(realPaths.localesDir, {
      kind: 'invitation',
      locale: 'kmr-Arab',
      surveyTitle: 'Rapirsî 2026',
      link: 'https://svar.example.no/s/abc',
      optOutLink: 'https://svar.example.no/s/abc/opt-out',
    });
    expect(mail.subject).toBe(badini['invitation.subject']!.replace('{{surveyTitle}}', 'Rapirsî 2026'));
    expect(mail.html).toContain('<html lang="kmr-Arab" dir="rtl">');
    expect(mail.text).toContain(badini['invitation.greeting']);
  });
});

describe('kmr-Arab through XLIFF', () => {
  let root: string;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'svar-badini-xliff-'));
    cpSync(realPaths.surveysDir, join(root, 'surveys'), { recursive: true });
    cpSync(realPaths.localesDir, join(root, 'locales'), { recursive: true });
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('exports right to left and imports back to the same file, a translator’s edit included', async () => {
    const paths = { projectRoot: root, surveysDir: join(root, 'surveys'), localesDir: join(root, 'locales') };
    const translationFile = join(root, 'locales', 'kmr-Arab', 'surveys', 'participant-survey.json');
    const before = JSON.parse(readFileSync(translationFile, 'utf8'));
    const xml = await exportTranslations(paths, 'participant-survey', 'kmr-Arab');
    expect(xml).toContain('trgLang="kmr-Arab"');
    expect(xml).toContain('trgDir="rtl"');
    expect(xml).toContain(`<target>${before['p_adv_has.title'].text}</target>`);
    const file = join(root, 'kmr-Arab.xlf');
    writeFileSync(file, xml);
    expect(await importTranslations(paths, file)).toMatchObject({
      instrument: 'participant-survey',
      locale: 'kmr-Arab',
      imported: Object.keys(before).length,
    });
    expect(JSON.parse(readFileSync(translationFile, 'utf8'))).toEqual(before);

    const edited = 'تو دزانی شێورمەندێ تە یێ بەرنامەیێ کییە؟';
    writeFileSync(
      file,
      xml.replace(`<target>${before['p_adv_has.title'].text}</target>`, `<target>${edited}</target>`),
    );
    await importTranslations(paths, file, 'reviewed');
    const after = JSON.parse(readFileSync(translationFile, 'utf8'));
    expect(after['p_adv_has.title']).toMatchObject({ text: edited, status: 'reviewed' });
  });
});

/** The fixture instrument in Kurmanji, and in Badini from it by the same transliteration as the real drafts. */
const kurmanji: Record<string, string> = {
  'page:p1.title': 'Derbarê bernameyê de',
  'page:p2.title': 'Bêtir li ser te',
  'q_months.title': 'Çend meh?',
  'q_sat.choices.1.text': 'Hinekî razî',
  'q_sat.choices.2.text': 'Razî',
  'q_sat.choices.98.text': 'Nizanim',
  'q_sat.title': 'Tu çiqas razî yî?',
  'q_topics.choices.1.text': 'Norwêcî',
  'q_topics.choices.2.text': 'Civak',
  'q_topics.choices.3.text': 'Kar',
  'q_topics.title': 'Te çi hîn bû?',
  'q_why.title': 'Çima?',
  'survey.title': 'Rapirsiyeke biçûk',
};

let counter = 0;

/** Publishes the fixture with kmr and kmr-Arab added, opens a pilot wave offering them, and returns its links. */
async function openKurdishWave(t: TestDatabase, w: SurveyWorkspace) {
  counter += 1;
  const id = `mini-kmr-${Date.now().toString(36)}-${counter}`;
  renameSync(`${w.surveysDir}/mini-survey`, `${w.surveysDir}/${id}`);
  w.editJson(`surveys/${id}/instrument.json`, (i) => {
    i.id = id;
    i.targetLocales = ['nn', 'ar', 'kmr', 'kmr-Arab'];
  });
  for (const l of ['nn', 'ar'])
    renameSync(`${w.localesDir}/${l}/surveys/mini-survey.json`, `${w.localesDir}/${l}/surveys/${id}.json`);
  const arabic = w.readJson(`locales/ar/surveys/${id}.json`) as Record<string, { source: string }>;
  for (const [locale, text] of [
    ['kmr', (k: string) => kurmanji[k]!],
    ['kmr-Arab', (k: string) => transliterateBadini(kurmanji[k]!, arabic[k]!.source)],
  ] as const) {
    const file = Object.fromEntries(
      Object.entries(arabic).map(([k, e]) => [k, { ...e, text: text(k), status: 'draft' }]),
    );
    cpSync(`${w.localesDir}/ar`, `${w.localesDir}/${locale}`, { recursive: true });
    writeFileSync(`${w.localesDir}/${locale}/surveys/${id}.json`, JSON.stringify(file));
  }
  await publishInstrument(t.db, w, id, { kind: 'cli' });
  const wave = await createWave(
    t.db,
    {
      instrumentId: id,
      version: 1,
      name: 'Kurdish',
      mode: 'census',
      locales: ['nb', 'nn', 'kmr', 'kmr-Arab'],
      allowDraftLocales: true,
    },
    { kind: 'cli' },
  );
  await addUnits(t.db, wave.id, [
    { externalId: 'badini', preferredLocale: 'kmr-Arab' },
    { externalId: 'browser' },
  ]);
  const links = await openWave(t.db, wave.id, { kind: 'cli' }, new Date('2026-11-25T12:00:00Z'));
  return (externalId: string) => links.find((l) => l.externalId === externalId)!.token;
}

describe.each(backends())('a Badini respondent on $name', (backend) => {
  let t: TestDatabase;
  let w: SurveyWorkspace;
  let app: ReturnType<typeof makeApp>;
  let token: (externalId: string) => string;
  beforeAll(async () => {
    if (!backend.skip) t = await backend.open();
  });
  afterAll(async () => t?.close());
  beforeEach(async () => {
    if (backend.skip) return;
    w = surveyWorkspace();
    const clock = new TestClock(new Date('2026-11-26T08:00:00Z'));
    app = makeApp(t, { clock, config: { localesDir: `${process.cwd()}/locales` } });
    token = await openKurdishWave(t, w);
  });
  afterEach(() => w?.remove());

  it.skipIf(backend.skip)(
    'gets the survey right to left in Badini, both Kurdish scripts named apart',
    async () => {
      const view = (await (await app.request(`/api/v1/respond/${token('badini')}`)).json()) as Record<
        string,
        any
      >;
      expect(view).toMatchObject({ locale: 'kmr-Arab', dir: 'rtl' });
      expect(view.locales).toEqual([
        { locale: 'nb', name: 'norsk bokmål', dir: 'ltr' },
        { locale: 'nn', name: 'norsk nynorsk', dir: 'ltr' },
        { locale: 'kmr', name: findLanguage('kmr')!.name, dir: 'ltr' },
        { locale: 'kmr-Arab', name: findLanguage('kmr-Arab')!.name, dir: 'rtl' },
      ]);
      expect(view.definition.pages[0].elements[0].title['kmr-Arab']).toBe('تو چقاس ڕازی یی؟');

      const browser = async (header: string) =>
        (
          (await (
            await app.request(`/api/v1/respond/${token('browser')}`, {
              headers: { 'accept-language': header },
            })
          ).json()) as Record<string, any>
        ).locale;
      expect(await browser('kmr-arab, en;q=0.5')).toBe('kmr-Arab');
      expect(await browser('ku')).toBe('kmr');
    },
  );

  it.skipIf(backend.skip)('answers an unknown link in Badini', async () => {
    const res = await app.request('/api/v1/respond/not-a-link-anyone-was-given', {
      headers: { 'x-svar-locale': 'kmr-Arab' },
    });
    expect(res.headers.get('content-type')).toMatch(/application\/problem\+json/);
    const badini = JSON.parse(readFileSync('locales/kmr-Arab/respondent.json', 'utf8')) as Record<
      string,
      string
    >;
    const problem = (await res.json()) as { code: string; detail: string };
    expect(problem.code).toBe('link_not_valid');
    expect(problem.detail).toBe(badini['problem.link_not_valid']);
  });
});
