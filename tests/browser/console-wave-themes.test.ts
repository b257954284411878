// The console's new-wave form tells the survey manager which theme modules the rotation plan gives the wave's year
// (the year it opens), says so plainly for a year the plan does not name, and the wave created runs those themes.
import { rmSync } from 'node:fs';
import type { BrowserContext } from 'playwright-core';
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

vi.setConfig({ testTimeout: 180_000 });

const waitFor = { timeout: 30_000 };

describe.skipIf(!chromiumPath)('the themes of a new wave in the console, in Chromium', () => {
  let handle: Awaited<ReturnType<typeof openDatabase>>;
  let dist: string;
  let server: Awaited<ReturnType<typeof serveWebApp>>;
  let browser: BrowserContext;
  let admin: { email: string; password: string };

  beforeAll(async () => {
    dist = await buildWebInto();
    handle = await openDatabase({ kind: 'pglite', dataDir: null });
    await migrateToLatest(handle.db);
    await publishInstrument(handle.db, realPaths, 'municipal-survey', { kind: 'cli' });
    admin = await createStaff(handle.db, { role: 'admin' });
    server = await serveWebApp(handle, { webDist: dist });
    browser = await launchBrowser(desktopViewport);
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await handle?.close();
    if (dist) rmSync(dist, { recursive: true, force: true });
  });

  it('shows the year plan, or why there is none, and creates the wave with it', async () => {
    const page = await browser.newPage();
    await page.goto(`${server.base}/waves`);
    await page.getByLabel('E-post').fill(admin.email);
    await page.getByLabel('Passord').fill(admin.password);
    await page.getByRole('button', { name: 'Logg inn' }).click();
    await page.getByRole('link', { name: 'Ny datainnsamling' }).click();
    await page.getByLabel('Skjema og versjon').selectOption('municipal-survey@1');
    await page.getByLabel('Navn', { exact: true }).fill('Kommuneundersøkelsen 2027');
    const themes = page.getByTestId('wave-themes');

    await page.getByLabel('Åpner').fill('2031-01-06');
    await themes.getByRole('alert').waitFor(waitFor);
    expect(await themes.textContent()).toContain('2031');

    await page.getByLabel('Åpner').fill('2027-01-04');
    await expect
      .poll(() => themes.textContent(), waitFor)
      .toContain('Rotasjonsplanen for 2027: theme-settlement, theme-interpreters.');
    await checkConsoleScreen(page, 'console-wave-themes');

    await page.getByLabel('Pilot: tillat språk som bare er utkast').check();
    await page.getByLabel(/\(nb\)$/).check();
    await page.getByLabel(/\(nn\)$/).check();
    await page.getByRole('button', { name: 'Opprett datainnsamling' }).click();
    await page.getByRole('heading', { name: 'Kommuneundersøkelsen 2027' }).waitFor(waitFor);
    await expect
      .poll(() => page.locator('.fieldwork-facts').textContent(), waitFor)
      .toContain('part-a, core, imdi-services, theme-settlement, theme-interpreters');
    const stored = await handle.db.selectFrom('wave').select('modules').executeTakeFirstOrThrow();
    expect(stored.modules).toEqual([
      'part-a',
      'core',
      'imdi-services',
      'theme-settlement',
      'theme-interpreters',
    ]);
  });
});
