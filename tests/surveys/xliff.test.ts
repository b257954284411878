// XLIFF 2.0: exports validate against the official OASIS schemas, and an unchanged round trip is lossless.
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { exportTranslations, importTranslations } from '../../server/surveys/translation-service.ts';
import {
  fixturesDir,
  miniArabic,
  miniModule,
  realPaths,
  type SurveyWorkspace,
  surveyWorkspace,
} from '../helpers/surveys.ts';

const hasXmllint = spawnSync('sh', ['-c', 'command -v xmllint']).status === 0;
if (!hasXmllint && process.env.CI === 'true') throw new Error('xmllint is missing: run npm run setup:system');

function validate(file: string): void {
  for (const version of ['xliff-2.0', 'xliff-2.1']) {
    const schema = join(fixturesDir, 'schemas', version, 'xliff_core_2.0.xsd');
    execFileSync('xmllint', ['--nonet', '--noout', '--schema', schema, file], { stdio: 'pipe' });
  }
}

describe('XLIFF export and import', () => {
  let w: SurveyWorkspace;
  beforeEach(() => {
    w = surveyWorkspace();
  });
  afterEach(() => w.remove());

  it.skipIf(!hasXmllint)('exports files that validate against XLIFF 2.0 and 2.1 core, offline', async () => {
    const file = join(w.projectRoot, 'ar.xlf');
    writeFileSync(file, await exportTranslations(w, 'mini-survey', 'ar'));
    expect(() => validate(file)).not.toThrow();
    const real = join(w.projectRoot, 'participant-ps.xlf');
    writeFileSync(real, await exportTranslations(realPaths, 'participant-survey', 'ps'));
    expect(() => validate(real)).not.toThrow();
    // The validation itself can fail: a broken file is refused.
    writeFileSync(file, readFileSync(file, 'utf8').replace('<segment>', '<segment><bogus/>'));
    expect(() => validate(file)).toThrow();
  });

  it('carries source, target, status and direction', async () => {
    const xml = await exportTranslations(w, 'mini-survey', 'ar');
    expect(xml).toContain('srcLang="nb"');
    expect(xml).toContain('trgLang="ar"');
    expect(xml).toContain('name="q_sat.title"');
    expect(xml).toContain('trgDir="rtl"');
    expect(xml).toContain('<source>Hvor fornøyd er du?</source>');
    expect(xml).toContain('<target>ما مدى رضاك؟</target>');
    expect(xml).toContain('status: draft');
  });

  it('round-trips losslessly: export, import, same translation file', async () => {
    const before = readFileSync(join(w.projectRoot, miniArabic), 'utf8');
    const file = join(w.projectRoot, 'ar.xlf');
    writeFileSync(file, await exportTranslations(w, 'mini-survey', 'ar'));
    const r = await importTranslations(w, file);
    expect(r).toMatchObject({ instrument: 'mini-survey', locale: 'ar', imported: 13 });
    expect(JSON.parse(readFileSync(join(w.projectRoot, miniArabic), 'utf8'))).toEqual(JSON.parse(before));
  });

  it('takes a translator’s new text, and a reviewer’s status for the whole file', async () => {
    const file = join(w.projectRoot, 'ar.xlf');
    const xml = await exportTranslations(w, 'mini-survey', 'ar');
    writeFileSync(file, xml.replace('<target>لماذا؟</target>', '<target>لماذا تقول ذلك؟</target>'));
    await importTranslations(w, file, 'reviewed');
    const t = w.readJson(miniArabic);
    expect(t['q_why.title']).toMatchObject({ text: 'لماذا تقول ذلك؟', status: 'reviewed' });
    expect(t['q_sat.title'].status).toBe('reviewed');
  });

  it('refuses a file whose source strings no longer match, names them, and changes nothing', async () => {
    const file = join(w.projectRoot, 'ar.xlf');
    writeFileSync(file, await exportTranslations(w, 'mini-survey', 'ar'));
    w.editJson(miniModule, (m) => (m.pages[0].elements[1].title = 'Hvorfor det?'));
    const before = readFileSync(join(w.projectRoot, miniArabic), 'utf8');
    const err = await importTranslations(w, file).catch((e) => e);
    expect(err.code).toBe('xliff_source_mismatch');
    expect(err.invalidParams).toEqual([
      { name: 'q_why.title', reason: 'the source text changed since this file was exported' },
    ]);
    expect(readFileSync(join(w.projectRoot, miniArabic), 'utf8')).toBe(before);
  });
});
