// A private copy of the fixture instrument and its translations, to change in a test without touching the repo.
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { SurveyPaths } from '../../server/surveys/service.ts';

export const fixturesDir = fileURLToPath(new URL('../fixtures/', import.meta.url));
export const projectRoot = fileURLToPath(new URL('../../', import.meta.url)).replace(/\/$/, '');
export const realPaths: SurveyPaths = {
  projectRoot,
  surveysDir: join(projectRoot, 'surveys'),
  localesDir: join(projectRoot, 'locales'),
};

type Json = Record<string, any>;

export interface SurveyWorkspace extends SurveyPaths {
  editJson(relativePath: string, edit: (json: Json) => void): void;
  readJson(relativePath: string): Json;
  remove(): void;
}

export function surveyWorkspace(): SurveyWorkspace {
  const root = mkdtempSync(join(tmpdir(), 'svar-surveys-'));
  cpSync(join(fixturesDir, 'surveys'), join(root, 'surveys'), { recursive: true });
  cpSync(join(fixturesDir, 'locales'), join(root, 'locales'), { recursive: true });
  const readJson = (p: string) => JSON.parse(readFileSync(join(root, p), 'utf8')) as Json;
  return {
    projectRoot: root,
    surveysDir: join(root, 'surveys'),
    localesDir: join(root, 'locales'),
    readJson,
    editJson(p, edit) {
      const json = readJson(p);
      edit(json);
      writeFileSync(join(root, p), JSON.stringify(json, null, 2));
    },
    remove: () => rmSync(root, { recursive: true, force: true }),
  };
}

export const miniModule = 'surveys/mini-survey/modules/core.json';
export const miniArabic = 'locales/ar/surveys/mini-survey.json';
