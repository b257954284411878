// The console's instrument preview fills the wave years: a survey manager reads "i 2025", not "i {previousYear}",
// and picks the reference year to see the text as a wave of that year will ask it. Embedded database only: what
// is tested here is the console.
import { rmSync } from 'node:fs';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { openDatabase } from '../../server/db/connect.ts';
import { migrateToLatest } from '../../server/db/migrate.ts';
import { publishInstrument } from '../../server/surveys/service.ts';
import { createStaff } from '../helpers/app.ts';
import {
  buildWebInto,
  checkConsoleScreen,
  chromiumPath,
  desktopViewport,
  launchBrowser,
} from '../helpers/browser.ts';
import { serveWebApp } from '../helpers/respondent-server.ts';
import { realPaths } from '../helpers/surveys.ts';

vi.setConfig({ testTimeout: 120_000 });

describe.skipIf(!chromiumPath)('the instrument preview in Chromium', () => {
  let handle: Awaited<ReturnType<typeof openDatabase>>;
  let dist: string;
  let base: string;
  let close: () => Promise<void>;
  let browser: BrowserContext;
  let analyst: { email: string; password: string };

  beforeAll(async () => {
    dist = await buildWebInto();
    handle = await openDatabase({ kind: 'pglite', dataDir: null });
    await migrateToLatest(handle.db);
    await publishInstrument(handle.db, realPaths, 'municipal-survey', { kind: 'cli' });
    analyst = await createStaff(handle.db, { role: 'analyst' });
    ({ base, close } = await serveWebApp(handle, { webDist: dist }));
    browser = await launchBrowser(desktopViewport);
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    await close?.();
    await handle?.close();
    if (dist) rmSync(dist, { recursive: true, force: true });
  });

  async function logIn(path: string): Promise<Page> {
    const page = await browser.newPage();
    await page.goto(`${base}${path}`);
    await page.getByLabel('E-post').fill(analyst.email);
    await page.getByLabel('Passord').fill(analyst.password);
    await page.getByRole('button', { name: 'Logg inn' }).click();
    await page.getByTestId('signed-in-as').waitFor();
    return page;
  }

  it('shows this year by default and the years of the reference year picked', async () => {
    const page = await logIn('/instruments/municipal-survey/1/preview?lng=nb');
    const preview = page.getByTestId('preview');
    const priorityChange = preview.locator('.sd-question').filter({ hasText: 'politiske prioriteringen' });
    await priorityChange.waitFor();
    const thisYear = new Date().getFullYear();
    expect(await priorityChange.textContent()).toContain(`endret seg i ${thisYear - 1}?`);
    expect(await preview.textContent()).not.toMatch(/\{(previousYear|referenceYear|nextYear)\}/);

    const picker = page.getByLabel('Referanseår');
    expect(await picker.inputValue()).toBe(String(thisYear));
    await picker.selectOption(String(thisYear + 1));
    await preview
      .locator('.sd-question')
      .filter({ hasText: `endret seg i ${thisYear}?` })
      .waitFor();
    await checkConsoleScreen(page, 'console-instrument-preview-year');
    await page.close();
  });
});
