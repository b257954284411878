// A wave that runs two of the municipal survey's five themes, in Chromium: the chief executive pages through the
// whole survey and meets the core modules and those two themes only. The page hides the other themes itself (the
// definition it loads is the version's, cached for good), so this is the test of that hiding.
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { openDatabase } from '../../server/db/connect.ts';
import { migrateToLatest } from '../../server/db/migrate.ts';
import {
  buildWebInto,
  chromiumPath,
  desktopViewport,
  launchBrowser,
  startSurvey,
} from '../helpers/browser.ts';
import { startRespondentServer } from '../helpers/respondent-server.ts';
import { realPaths } from '../helpers/surveys.ts';

vi.setConfig({ testTimeout: 180_000 });

const modulesDir = join(realPaths.surveysDir, 'municipal-survey', 'modules');
/** Each page's bokmål title, by module. */
const pagesOf = (module: string): string[] =>
  (
    JSON.parse(readFileSync(join(modulesDir, `${module}.json`), 'utf8')) as {
      pages: { title: string }[];
    }
  ).pages.map((p) => p.title);

describe.skipIf(!chromiumPath)('a wave theme modules in Chromium', () => {
  let handle: Awaited<ReturnType<typeof openDatabase>>;
  let server: Awaited<ReturnType<typeof startRespondentServer>>;
  let dist: string;
  let context: BrowserContext;
  let token: string;

  beforeAll(async () => {
    dist = await buildWebInto();
    handle = await openDatabase({ kind: 'pglite', dataDir: null });
    await migrateToLatest(handle.db);
    // Opening now (the year may have no plan entry): the themes are chosen, as an override does.
    server = await startRespondentServer(handle, {
      webDist: dist,
      instrumentId: 'municipal-survey',
      locales: ['nb', 'nn'],
      units: [{ externalId: '4601', municipalityCode: '4601', preferredLocale: 'nb' }],
      themes: ['theme-settlement', 'theme-interpreters'],
    });
    token = server.links.get('4601')!;
    context = await launchBrowser(desktopViewport);
  }, 240_000);

  afterAll(async () => {
    await context?.close();
    await server?.close();
    await handle?.close();
    rmSync(dist, { recursive: true, force: true });
  });

  it('shows the core modules and the two themes, and no page of the others', async () => {
    const page = await context.newPage();
    await startSurvey(page, `${server.base}/s/${token}`);
    // Part A's required questions, so the page lets the chief executive on.
    await page.locator('[data-name="m_pol_priority"] label').nth(1).click();
    await page.locator('[data-name="m_intro_result_targets"] label').nth(1).click();
    const seen: string[] = [];
    for (let i = 0; i < 40; i++) {
      seen.push((await page.locator('.sd-page__title').first().textContent()) ?? '');
      if (await page.locator('.sd-navigation__complete-btn').isVisible()) break;
      const before = seen.at(-1);
      await page.locator('.sd-navigation__next-btn').click();
      await expect.poll(() => page.locator('.sd-page__title').first().textContent()).not.toBe(before);
    }
    const expected = ['part-a', 'core', 'imdi-services', 'theme-settlement', 'theme-interpreters'].flatMap(
      pagesOf,
    );
    expect(seen).toEqual(expected);
    const hidden = ['theme-intro-programme', 'theme-unaccompanied-minors', 'theme-volunteering'].flatMap(
      pagesOf,
    );
    expect(hidden).toHaveLength(4);
    expect(seen.filter((title) => hidden.includes(title))).toEqual([]);
  });
});
