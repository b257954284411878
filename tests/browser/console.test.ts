// The staff console in Chromium against the real app: keyboard-only login, the shell (navigation by role,
// language, deep links, 404), and each screen screenshotted at 360 px and desktop with no serious or critical
// axe-core violation. Embedded database only: what is tested here is the console, not the SQL.
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { openDatabase } from '../../server/db/connect.ts';
import { migrateToLatest } from '../../server/db/migrate.ts';
import { answeredParticipantWave } from '../helpers/answered-wave.ts';
import { createStaff } from '../helpers/app.ts';
import {
  artifactsDir,
  buildWebInto,
  checkConsoleScreen,
  chromiumPath,
  desktopViewport,
  launchBrowser,
} from '../helpers/browser.ts';
import { serveWebApp } from '../helpers/respondent-server.ts';

vi.setConfig({ testTimeout: 120_000 });

const _cli = { kind: 'cli' } as const;
/** Satisfaction answers per municipality: Oslo (the municipality user's own) and two others. */
const satisfaction: Record<string, number[]> = {
  '0301': [4, 4, 5, 5, 3, 4, 2, 5, 4, 4, 5, 1],
  '4601': [4, 4, 4, 5, 5, 5, 2, 4],
  '5001': [3, 4, 2, 5, 4, 3],
};
const desktop = desktopViewport;

describe.skipIf(!chromiumPath)('the staff console in Chromium', () => {
  let handle: Awaited<ReturnType<typeof openDatabase>>;
  let dist: string;
  let base: string;
  let close: () => Promise<void>;
  let browser: BrowserContext;
  let waveId: string;
  const staff: Record<'admin' | 'analyst' | 'oslo', { email: string; password: string }> = {} as never;

  beforeAll(async () => {
    dist = await buildWebInto();
    handle = await openDatabase({ kind: 'pglite', dataDir: null });
    await migrateToLatest(handle.db);
    const now = new Date();
    waveId = await answeredParticipantWave(handle, {
      name: 'Konsolltest',
      satisfaction,
      seed: 'console-browser',
      now,
      closedAt: new Date(now.getTime() + 1000),
    });
    staff.admin = await createStaff(handle.db, { role: 'admin' });
    staff.analyst = await createStaff(handle.db, { role: 'analyst' });
    staff.oslo = await createStaff(handle.db, { role: 'municipality', municipalityCode: '0301' });

    ({ base, close } = await serveWebApp(handle, { webDist: dist }));
    browser = await launchBrowser(desktop);
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    await close?.();
    await handle?.close();
    if (dist) rmSync(dist, { recursive: true, force: true });
  });

  /** Screenshots at desktop width and at 360 px, and checks axe and that nothing scrolls sideways at 360 px. */

  async function logIn(who: keyof typeof staff, path = '/') {
    const page = await browser.newPage();
    await page.goto(`${base}${path}`);
    await page.getByLabel('E-post').fill(staff[who].email);
    await page.getByLabel('Passord').fill(staff[who].password);
    await page.getByRole('button', { name: 'Logg inn' }).click();
    await page.getByTestId('signed-in-as').waitFor();
    return page;
  }

  async function logOut(page: Page) {
    await page.getByRole('button', { name: 'Logg ut' }).click();
    await page.getByRole('heading', { name: 'Logg inn' }).waitFor();
    await page.close();
  }

  it('logs in with the keyboard alone, lands where the role works, and logs out', async () => {
    const page = await browser.newPage();
    await page.goto(`${base}/`);
    await page.getByRole('heading', { name: 'Logg inn' }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/login');
    await checkConsoleScreen(page, 'console-login');
    // Tab order: skip link, service name, languages (3), e-mail, password, submit.
    const focusedLabel = () =>
      page.evaluate(() => (document.activeElement as HTMLInputElement | null)?.name ?? '');
    for (let i = 0; i < 12 && (await focusedLabel()) !== 'email'; i++) await page.keyboard.press('Tab');
    expect(await focusedLabel()).toBe('email');
    await page.keyboard.type(staff.analyst.email);
    await page.keyboard.press('Tab');
    await page.keyboard.type('wrong password entirely');
    await page.keyboard.press('Enter');
    await page.getByRole('alert').getByText('Feil e-post eller passord').waitFor();
    await page.getByLabel('Passord').fill('');
    await page.getByLabel('Passord').focus();
    await page.keyboard.type(staff.analyst.password);
    await page.keyboard.press('Enter');
    await page.getByTestId('signed-in-as').waitFor();
    expect(new URL(page.url()).pathname).toBe('/waves');
    const nav = page.getByRole('navigation', { name: 'Hovedmeny' });
    expect(await nav.getByRole('link').allTextContents()).toEqual([
      'Datainnsamlinger',
      'Skjema',
      'Eksport',
      'Faktaark',
    ]);
    await logOut(page);
  });

  it('says plainly when too many failed logins must wait', async () => {
    const page = await browser.newPage();
    await page.goto(`${base}/login`);
    await page.getByLabel('E-post').fill('nobody-here@test.svar.local');
    const alert = page.getByRole('alert');
    // The limit is per e-mail and source (server/staff/login.ts): ten failures, then a wait.
    for (let i = 0; i < 11; i++) {
      await page.getByLabel('Passord').fill(`wrong password ${i}`);
      await page.getByRole('button', { name: 'Logg inn' }).click();
      await expect.poll(() => alert.count()).toBe(1);
      if ((await alert.textContent())?.includes('Vent 15 minutter')) break;
    }
    await alert.getByText('For mange mislykkede forsøk. Vent 15 minutter før du prøver igjen.').waitFor();
    await page.close();
  });

  it('opens a deep link after login, says 404 plainly, and remembers the language', async () => {
    const page = await logIn('admin', '/users');
    expect(new URL(page.url()).pathname).toBe('/users');
    await page.goto(`${base}/waves/no-such-screen/at/all`);
    await page.getByRole('heading', { name: 'Fant ikke siden' }).waitFor();
    await checkConsoleScreen(page, 'console-not-found');
    await page.getByRole('button', { name: 'English' }).click();
    await page.getByRole('heading', { name: 'Page not found' }).waitFor();
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('en');
    await page.reload();
    await page.getByRole('heading', { name: 'Page not found' }).waitFor();
    await page.getByRole('button', { name: 'Bokmål' }).click();
    await page.getByRole('heading', { name: 'Fant ikke siden' }).waitFor();
    await logOut(page);
  });

  it('a municipality user is offered only its own landing, and a screen for another role says so', async () => {
    const page = await logIn('oslo');
    expect(new URL(page.url()).pathname).toBe('/municipality');
    const nav = page.getByRole('navigation', { name: 'Hovedmeny' });
    expect(await nav.getByRole('link').allTextContents()).toEqual(['Min kommune']);
    await page.goto(`${base}/users`);
    await page.getByRole('heading', { name: 'Ikke tilgjengelig for rollen din' }).waitFor();
    await checkConsoleScreen(page, 'console-forbidden');
    await logOut(page);
  });

  it('an admin creates a user, changes its role, and the list shows it', async () => {
    const page = await logIn('admin', '/users');
    await page.getByRole('heading', { name: 'Brukere', level: 1 }).waitFor();
    await checkConsoleScreen(page, 'console-users');
    const form = page.locator('form', { has: page.getByRole('button', { name: 'Opprett bruker' }) });
    await form.getByLabel('E-post').fill('ny.analytiker@test.svar.local');
    await form.getByLabel('Navn').fill('Nora Ny');
    await form.getByLabel('Rolle').selectOption('municipality');
    // A municipality user without a municipality is refused before anything is sent.
    await form.getByRole('button', { name: 'Opprett bruker' }).click();
    await form.getByText('Skriv inn kommunenummeret').waitFor();
    await form.getByLabel('Kommunenummer').fill('4601');
    await form.getByLabel('Første passord (valgfritt)').fill('et langt nok passord');
    await form.getByRole('button', { name: 'Opprett bruker' }).click();
    await page.getByText('Brukeren ny.analytiker@test.svar.local er opprettet.').waitFor();
    const row = page.getByRole('row', { name: /Nora Ny/ });
    await expect.poll(() => row.textContent()).toContain('kommune (4601)');
    const created = await handle.db
      .selectFrom('staff_user')
      .selectAll()
      .where('email', '=', 'ny.analytiker@test.svar.local')
      .executeTakeFirstOrThrow();
    expect([created.role, created.municipality_code]).toEqual(['municipality', '4601']);

    await row.getByRole('button', { name: 'Endre rolle (Nora Ny)' }).click();
    const panel = page.getByRole('region', { name: 'Endre rollen til Nora Ny' });
    await panel.getByLabel('Rolle').selectOption('translator');
    await checkConsoleScreen(page, 'console-users-change-role');
    await panel.getByRole('button', { name: 'Lagre' }).click();
    await expect.poll(() => row.textContent()).toContain('oversetter');
    // The same address again: refused in plain words, nothing created.
    await form.getByLabel('E-post').fill('ny.analytiker@test.svar.local');
    await form.getByLabel('Navn').fill('Nora Igjen');
    await form.getByRole('button', { name: 'Opprett bruker' }).click();
    await form
      .getByRole('alert')
      .getByText('Det finnes allerede en bruker med denne e-postadressen')
      .waitFor();
    await logOut(page);
  });

  it('an analyst runs an export with progress and saves it, then opens a fact sheet', async () => {
    const page = await logIn('analyst', '/exports');
    await page.getByRole('heading', { name: 'Eksport', level: 1 }).waitFor();
    // Nothing chosen: said plainly, nothing fetched.
    await page.getByRole('button', { name: 'Start eksport' }).click();
    await page.getByText('Velg minst én datainnsamling.').waitFor();
    await page.getByRole('checkbox', { name: /Konsolltest/ }).check();
    await page.getByLabel('Format').selectOption('csv');
    await page.getByLabel('Skilletegn').selectOption(';');
    await checkConsoleScreen(page, 'console-exports');
    await page.getByRole('button', { name: 'Start eksport' }).click();
    const save = page.getByRole('link', { name: /^Lagre .*\.csv$/ });
    await save.waitFor();
    expect(await page.getByText(/^Ferdig: .* 26 rader\.$/).count()).toBe(1);
    const [download] = await Promise.all([page.waitForEvent('download'), save.click()]);
    const file = join(artifactsDir, 'console-export.csv');
    await download.saveAs(file);
    const csv = readFileSync(file, 'utf8');
    expect(csv.split(/\r?\n/).filter(Boolean)).toHaveLength(27);
    expect(csv.split(/\r?\n/)[0]).toContain(';');
    await checkConsoleScreen(page, 'console-exports-done');

    await page.getByRole('link', { name: 'Faktaark' }).click();
    await page.getByLabel('Kommunenummer').fill('4601');
    await page.getByRole('button', { name: 'Vis faktaark' }).click();
    await page.getByRole('heading', { name: 'Faktaark for kommune 4601' }).waitFor();
    expect(new URL(page.url()).pathname).toBe(`/waves/${waveId}/factsheets/4601`);
    const sheet = page.frameLocator('iframe[title="Faktaarket for kommune 4601"]');
    await expect.poll(() => sheet.locator('h1').textContent()).toContain('Bergen');
    await checkConsoleScreen(page, 'console-factsheet');
    await logOut(page);
  });

  it('a municipality user lands on its own progress and fact sheet, and is refused another plainly', async () => {
    const page = await logIn('oslo');
    await page.getByRole('heading', { name: 'Kommune 0301', level: 1 }).waitFor();
    const card = page.getByRole('listitem').filter({ hasText: 'Konsolltest' });
    await expect.poll(() => card.textContent()).toMatch(/Invitert\s*12.*Svart\s*12.*100\s*%/);
    const sheet = page.frameLocator('iframe[title="Faktaarket for kommune 0301"]');
    await expect.poll(() => sheet.locator('h1').textContent()).toContain('Oslo');
    await checkConsoleScreen(page, 'console-municipality');
    // Bergen's sheet by its address: the server refuses, the console says why.
    await page.goto(`${base}/waves/${waveId}/factsheets/4601`);
    await page.getByRole('alert').getByText('Du kan bare se din egen kommunes faktaark').waitFor();
    expect(await page.locator('iframe').count()).toBe(0);
    await checkConsoleScreen(page, 'console-municipality-refused');
    await logOut(page);
  });

  it('an analyst reads an instrument: versions, modules, a diff, and a right-to-left preview', async () => {
    const page = await logIn('analyst', '/instruments');
    await page.getByRole('heading', { name: 'Skjema', level: 1 }).waitFor();
    await checkConsoleScreen(page, 'console-instruments');
    await page.getByRole('table').getByRole('link').first().click();
    await page.getByRole('heading', { name: 'Moduler i v1' }).waitFor();
    await checkConsoleScreen(page, 'console-instrument');
    // One version only: comparing it with itself is refused in plain words.
    await page.goto(`${base}/instruments/participant-survey/diff?from=1&to=1`);
    await page.getByRole('alert').getByText('Velg to forskjellige versjoner å sammenligne.').waitFor();
    await checkConsoleScreen(page, 'console-instrument-diff');
    // SurveyJS is not part of the console until a preview is opened.
    const before = await page.evaluate(() =>
      performance
        .getEntriesByType('resource')
        .map((e) => e.name)
        .filter((n) => n.includes('/assets/') && /survey/i.test(n)),
    );
    expect(before).toEqual([]);
    await page.goto(`${base}/instruments/participant-survey/1/preview?lng=ar`);
    const preview = page.getByTestId('preview');
    await preview.locator('.sd-question').first().waitFor();
    expect(await preview.getAttribute('dir')).toBe('rtl');
    expect(await preview.getAttribute('lang')).toBe('ar');
    await checkConsoleScreen(page, 'console-instrument-preview-ar');
    await logOut(page);
  });
});
