// A private copy of the real municipal survey and all translations, to publish and change in a test (its themes and
// rotation plan are the real ones): theme-volunteering's first question is made required, so a test can tell
// whether submit asked a theme the wave did not run.
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SurveyPaths } from '../../server/surveys/service.ts';
import { projectRoot } from './surveys.ts';

type Json = Record<string, any>;

/** The real municipal survey and its translations in a private folder, theme-volunteering made to require an answer. */
export function municipalWorkspace(): SurveyPaths & { remove(): void } {
  const root = mkdtempSync(join(tmpdir(), 'svar-themes-'));
  cpSync(join(projectRoot, 'surveys/municipal-survey'), join(root, 'surveys/municipal-survey'), {
    recursive: true,
  });
  cpSync(join(projectRoot, 'locales'), join(root, 'locales'), { recursive: true });
  const file = join(root, 'surveys/municipal-survey/modules/theme-volunteering.json');
  const module = JSON.parse(readFileSync(file, 'utf8'));
  module.pages[0].elements.find((e: Json) => e.name === 'm_vol_cooperates').isRequired = true;
  writeFileSync(file, JSON.stringify(module, null, 2));
  return {
    projectRoot: root,
    surveysDir: join(root, 'surveys'),
    localesDir: join(root, 'locales'),
    remove: () => rmSync(root, { recursive: true, force: true }),
  };
}
