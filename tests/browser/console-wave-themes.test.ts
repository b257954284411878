// The console's new-wave form tells the survey manager which theme modules the rotation plan gives the wave's year
// (the year it opens), says so plainly for a year the plan does not name, offers the version's themes ticked as
// the plan gives them, and the wave created runs the themes the manager ticked.
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

  it('shows the year plan, or why there is none, and creates the wave with the themes ticked', async () => {
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
    // A year without a plan entry: the refusal, and the version's themes to choose from, none ticked.
    const box = (theme: string) => themes.getByRole('checkbox', { name: theme, exact: true });
    await box('theme-volunteering').waitFor(waitFor);
    expect(await themes.getByRole('checkbox').count()).toBe(5);
    expect(await themes.getByRole('checkbox', { checked: true }).count()).toBe(0);

    await page.getByLabel('Åpner').fill('2027-01-04');
    await expect
      .poll(() => themes.textContent(), waitFor)
      .toContain('Rotasjonsplanen for 2027: theme-settlement, theme-interpreters.');
    // Untouched, the ticks follow the plan of the new year.
    await expect.poll(() => box('theme-settlement').isChecked(), waitFor).toBe(true);
    expect(await box('theme-interpreters').isChecked()).toBe(true);
    expect(await box('theme-volunteering').isChecked()).toBe(false);
    await checkConsoleScreen(page, 'console-wave-themes');

    // The manager swaps interpreters for volunteering, by keyboard for one of them.
    await box('theme-interpreters').uncheck();
    await box('theme-volunteering').focus();
    await page.keyboard.press('Space');
    expect(await box('theme-volunteering').isChecked()).toBe(true);

    await page.getByLabel('Pilot: tillat språk som bare er utkast').check();
    await page.getByLabel(/\(nb\)$/).check();
    await page.getByLabel(/\(nn\)$/).check();
    const sent = page.waitForRequest((r) => r.method() === 'POST' && r.url().endsWith('/api/v1/waves'));
    await page.getByRole('button', { name: 'Opprett datainnsamling' }).click();
    expect((await sent).postDataJSON().themes).toEqual(['theme-settlement', 'theme-volunteering']);
    await page.getByRole('heading', { name: 'Kommuneundersøkelsen 2027' }).waitFor(waitFor);
    await expect
      .poll(() => page.locator('.fieldwork-facts').textContent(), waitFor)
      .toContain('part-a, core, imdi-services, theme-settlement, theme-volunteering');
    const stored = await handle.db
      .selectFrom('wave')
      .select('modules')
      .where('name', '=', 'Kommuneundersøkelsen 2027')
      .executeTakeFirstOrThrow();
    expect(stored.modules).toEqual([
      'part-a',
      'core',
      'imdi-services',
      'theme-settlement',
      'theme-volunteering',
    ]);
  });

  it('sends no themes when the ticks are the plan, and the wave runs the plan', async () => {
    const page = await browser.newPage();
    await page.goto(`${server.base}/waves`);
    await page.getByRole('link', { name: 'Ny datainnsamling' }).click();
    await page.getByLabel('Skjema og versjon').selectOption('municipal-survey@1');
    await page.getByLabel('Navn', { exact: true }).fill('Kommuneundersøkelsen 2027 etter planen');
    await page.getByLabel('Åpner').fill('2027-01-04');
    const box = (theme: string) =>
      page.getByTestId('wave-themes').getByRole('checkbox', { name: theme, exact: true });
    await expect.poll(() => box('theme-interpreters').isChecked(), waitFor).toBe(true);
    // Touched and put back: the same as the plan, so the plan decides.
    await box('theme-interpreters').uncheck();
    await box('theme-interpreters').check();
    await page.getByLabel('Pilot: tillat språk som bare er utkast').check();
    await page.getByLabel(/\(nb\)$/).check();
    await page.getByLabel(/\(nn\)$/).check();
    const sent = page.waitForRequest((r) => r.method() === 'POST' && r.url().endsWith('/api/v1/waves'));
    await page.getByRole('button', { name: 'Opprett datainnsamling' }).click();
    expect((await sent).postDataJSON()).not.toHaveProperty('themes');
    await page.getByRole('heading', { name: 'Kommuneundersøkelsen 2027 etter planen' }).waitFor(waitFor);
    const stored = await handle.db
      .selectFrom('wave')
      .select('modules')
      .where('name', '=', 'Kommuneundersøkelsen 2027 etter planen')
      .executeTakeFirstOrThrow();
    expect(stored.modules).toEqual([
      'part-a',
      'core',
      'imdi-services',
      'theme-settlement',
      'theme-interpreters',
    ]);
  });
});
