// The translation review screens in Chromium against the real app: a translator opens Arabic, edits one string,
// approves the rest, a second translator approves the edit, and the matrix shows the language approved. Every
// screen is checked with axe-core and screenshotted at desktop width and 360 px. Embedded database only: the SQL
// is proven by tests/translations/.
import { rmSync } from 'node:fs';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { openDatabase } from '../../server/db/connect.ts';
import { migrateToLatest } from '../../server/db/migrate.ts';
import { createApiToken } from '../../server/staff/service.ts';
import { createStaff } from '../helpers/app.ts';
import {
  buildWebInto,
  checkConsoleScreen,
  chromiumPath,
  desktopViewport,
  launchBrowser,
} from '../helpers/browser.ts';
import { publishMini } from '../helpers/fieldwork.ts';
import { serveWebApp } from '../helpers/respondent-server.ts';
import { type SurveyWorkspace, surveyWorkspace } from '../helpers/surveys.ts';

vi.setConfig({ testTimeout: 120_000 });

const desktop = desktopViewport;

describe.skipIf(!chromiumPath)('translation review in Chromium', () => {
  let handle: Awaited<ReturnType<typeof openDatabase>>;
  let w: SurveyWorkspace;
  let dist: string;
  let base: string;
  let close: () => Promise<void>;
  let browser: BrowserContext;
  let instrumentId: string;
  let reviewer: { email: string; password: string };
  let secondToken: string;

  beforeAll(async () => {
    dist = await buildWebInto();
    handle = await openDatabase({ kind: 'pglite', dataDir: null });
    await migrateToLatest(handle.db);
    w = surveyWorkspace();
    instrumentId = await publishMini(handle.db, w);
    reviewer = await createStaff(handle.db, { role: 'translator' });
    const second = await createStaff(handle.db, { role: 'translator' });
    secondToken = (
      await createApiToken(handle.db, { staffUserId: second.id, name: 'second' }, { kind: 'cli' }, new Date())
    ).token;
    ({ base, close } = await serveWebApp(handle, { webDist: dist }));
    browser = await launchBrowser(desktop);
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    await close?.();
    await handle?.close();
    w?.remove();
    if (dist) rmSync(dist, { recursive: true, force: true });
  });

  const arabicRow = (page: Page) => page.getByRole('row', { name: /العربية/ });

  it('a translator edits one Arabic string, approves the rest, and the matrix shows Arabic approved', async () => {
    const page = await browser.newPage();
    await page.goto(`${base}/translations`);
    await page.getByLabel('E-post').fill(reviewer.email);
    await page.getByLabel('Passord').fill(reviewer.password);
    await page.getByRole('button', { name: 'Logg inn' }).click();
    await page.getByRole('heading', { name: 'Oversettelser', level: 1 }).waitFor();
    await arabicRow(page).waitFor();
    expect(await arabicRow(page).getByRole('cell').allTextContents()).toEqual([
      '0',
      '0',
      '13',
      '0',
      '0',
      'Bare i pilot',
    ]);
    await checkConsoleScreen(page, 'console-translations');

    await arabicRow(page).getByRole('link').click();
    await page.getByRole('heading', { name: /العربية/, level: 1 }).waitFor();
    const card = page.getByRole('article', { name: 'q_why.title' });
    const text = card.getByLabel('Oversettelse (العربية)');
    expect(await text.getAttribute('dir')).toBe('rtl');
    expect(await text.getAttribute('lang')).toBe('ar');
    await checkConsoleScreen(page, 'console-translation-strings');

    // By keyboard alone: type the new text, Tab to the save button, Enter.
    await text.focus();
    await page.keyboard.press('Control+A');
    await page.keyboard.type('لماذا تقول ذلك؟');
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Lagre som utkast');
    await page.keyboard.press('Enter');
    await page.getByRole('article', { name: 'q_why.title' }).getByText('Historikk (1 endring)').waitFor();

    await page.getByLabel('Velg alle 13 viste').check();
    await page.getByRole('button', { name: 'Merk valgte som gjennomgått' }).click();
    await page.getByText('13 tekster er merket som gjennomgått.').waitFor();
    // The edit is this reviewer's own: select everything else and approve it.
    await page.getByLabel('Velg alle 13 viste').check();
    await page.getByLabel('Velg q_why.title').uncheck();
    await page.getByRole('button', { name: 'Godkjenn valgte' }).click();
    await page.getByText('12 tekster er godkjent.').waitFor();
    // Approving one's own text is refused in plain words, and nothing changes.
    const own = page.getByRole('article', { name: 'q_why.title' });
    await own.getByRole('button', { name: 'Godkjenn' }).click();
    await own
      .getByRole('alert')
      .getByText(/en annen enn den som skrev teksten/)
      .waitFor();
    await checkConsoleScreen(page, 'console-translation-strings-refused');

    // A second translator approves the edit (through the API, as a CAT-tool user would).
    const res = await fetch(`${base}/api/v1/translations/${instrumentId}/1/ar/status`, {
      method: 'POST',
      headers: { authorization: `Bearer ${secondToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ keys: ['q_why.title'], status: 'approved' }),
    });
    expect(res.status).toBe(200);

    await page.getByRole('link', { name: 'Tilbake til oversikten' }).click();
    await arabicRow(page).waitFor();
    await expect
      .poll(async () => arabicRow(page).getByRole('cell').allTextContents())
      .toEqual(['0', '0', '0', '0', '13', 'Nei: 1 godkjent endring kommer med neste versjon']);
    await checkConsoleScreen(page, 'console-translations-approved');
    await page.close();
  });
});
