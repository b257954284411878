// A participant answers on a phone and on a desktop, in Arabic and then Tigrinya: reload, language switch, submit;
// accessibility checked with axe-core in bokmål and Arabic; offline answers survive a closed tab.
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { openDatabase } from '../../server/db/connect.ts';
import { migrateToLatest } from '../../server/db/migrate.ts';
import {
  artifactsDir,
  buildWebInto,
  chromiumPath,
  launchBrowser,
  seriousAxeViolations,
  startSurvey,
} from '../helpers/browser.ts';
import { startRespondentServer } from '../helpers/respondent-server.ts';
import { realPaths } from '../helpers/surveys.ts';

vi.setConfig({ testTimeout: 180_000 });

/** Waiting for the page, generously: a loaded CI machine renders slowly; this is not a speed test. */
const waitFor = { timeout: 20_000 };

const text = (lng: string) =>
  JSON.parse(readFileSync(join(realPaths.localesDir, lng, 'respondent.json'), 'utf8')) as Record<
    string,
    string
  >;
const surveyText = (lng: string, key: string) =>
  (
    JSON.parse(
      readFileSync(join(realPaths.localesDir, lng, 'surveys', 'participant-survey.json'), 'utf8'),
    ) as Record<string, { text: string }>
  )[key]!.text;

describe.skipIf(!chromiumPath)('respondent pages in Chromium', () => {
  let handle: Awaited<ReturnType<typeof openDatabase>>;
  let server: Awaited<ReturnType<typeof startRespondentServer>>;
  let base: string;
  let dist: string;
  let links: Map<string, string>;

  beforeAll(async () => {
    dist = await buildWebInto();
    handle = await openDatabase({ kind: 'pglite', dataDir: null });
    await migrateToLatest(handle.db);
    server = await startRespondentServer(handle, {
      webDist: dist,
      locales: ['nb', 'nn', 'en', 'ar', 'ti', 'so', 'prs', 'fa', 'ckb', 'kmr', 'kmr-Arab', 'ps', 'ur', 'pl'],
      units: ['desktop', 'phone', 'axe-nb', 'axe-ar', 'axe-kmr-Arab', 'offline'].map((id) => ({
        externalId: id,
        preferredLocale: id.startsWith('axe-') ? id.slice(4) : 'ar',
      })),
    });
    base = server.base;
    links = server.links;
  }, 240_000);

  afterAll(async () => {
    await server?.close();
    await handle?.close();
    rmSync(dist, { recursive: true, force: true });
  });

  const storedResponse = (externalId: string) =>
    handle.db
      .selectFrom('response')
      .innerJoin('frame_unit', 'frame_unit.id', 'response.frame_unit_id')
      .selectAll('response')
      .where('frame_unit.external_id', '=', externalId)
      .executeTakeFirst();

  async function waitSaved(page: Page, lng: string) {
    await expect
      .poll(() => page.getByTestId('save-state').textContent(), { timeout: 15_000 })
      .toBe(text(lng)['save.saved']);
  }

  async function answerFirstPage(page: Page) {
    const municipality = page.locator('[data-name="p_municipality"]');
    await municipality.locator('.sd-dropdown').click();
    await page
      .locator('.sd-selectlist__item', { hasText: /^Oslo$/ })
      .first()
      .click();
    await page.locator('[data-name="p_prog_months"] input').fill('14');
    await page.locator('[data-name="p_school_years"] label').nth(2).click();
    await expect
      .poll(() => page.locator('[data-name="p_school_years"] input[value="3"]').isChecked())
      .toBe(true);
  }

  for (const device of [
    { name: 'desktop', viewport: { width: 1024, height: 800 } },
    { name: 'phone', viewport: { width: 360, height: 740 } },
  ]) {
    it(`answers in Arabic, keeps everything over a reload, switches to Tigrinya and submits (${device.name})`, async () => {
      const context: BrowserContext = await launchBrowser(device.viewport);
      try {
        const page = await context.newPage();
        await startSurvey(page, `${base}/s/${links.get(device.name)}`);
        expect(
          await page.evaluate(() => [document.documentElement.lang, document.documentElement.dir]),
        ).toEqual(['ar', 'rtl']);
        expect(await page.locator('.sd-root-modern').getAttribute('dir')).toBe('rtl');
        await expect
          .poll(() => page.locator('h1').first().textContent())
          .toContain(surveyText('ar', 'survey.title').slice(0, 10));
        if (device.name === 'phone') {
          expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
        }
        await answerFirstPage(page);
        await page.locator('.sd-navigation__next-btn').click();
        await waitSaved(page, 'ar');
        // The status may still show an earlier save: wait until the server has the page change too.
        await expect
          .poll(async () => (await storedResponse(device.name))?.current_page, { timeout: 15_000 })
          .toBe('about_you_2');
        await page.screenshot({ path: join(artifactsDir, `${device.name}-ar-page2.png`), fullPage: true });
        const stored = await storedResponse(device.name);
        expect(stored?.answers, JSON.stringify([stored?.answers, stored?.answer_meta])).toMatchObject({
          p_municipality: '0301',
          p_prog_months: 14,
          p_school_years: 3,
        });

        // Reload: the same page, and the answers on the first one.
        await page.reload();
        await startSurvey(page);
        await expect
          .poll(() => page.locator('.sd-page__title').first().textContent())
          .toBe(surveyText('ar', 'page:about_you_2.title'));
        await page.locator('.sd-navigation__prev-btn').click();
        await expect
          .poll(() => page.locator('[data-name="p_prog_months"] input').inputValue(), { timeout: 10_000 })
          .toBe('14');

        // Switch to Tigrinya mid-way: everything in Tigrinya, left to right, answers kept.
        await page.selectOption('#svar-language', 'ti');
        expect(
          await page.evaluate(() => [document.documentElement.lang, document.documentElement.dir]),
        ).toEqual(['ti', 'ltr']);
        await expect
          .poll(() => page.locator('.sd-page__title').first().textContent())
          .toBe(surveyText('ti', 'page:about_you_1.title'));
        await expect
          .poll(() => page.locator('[data-name="p_prog_months"] input').inputValue(), { timeout: 10_000 })
          .toBe('14');
        await page.screenshot({ path: join(artifactsDir, `${device.name}-ti.png`), fullPage: true });

        // Through to the end: the only other required question is overall satisfaction.
        for (let i = 0; i < 40; i++) {
          const overall = page.locator('[data-name="p_overall_sat"] .sd-item');
          if (
            (await overall.count()) > 0 &&
            !(await page.locator('[data-name="p_overall_sat"] input:checked').count())
          ) {
            await page.locator('[data-name="p_overall_sat"] label').nth(3).click();
          }
          if (await page.locator('.sd-navigation__complete-btn').isVisible()) {
            await page.locator('.sd-navigation__complete-btn').click();
            break;
          }
          await page.locator('.sd-navigation__next-btn').click();
        }
        await expect
          .poll(() => page.locator('[data-testid="message-done"] h1').textContent(), { timeout: 15_000 })
          .toBe(text('ti')['done.title']);
        await page.screenshot({ path: join(artifactsDir, `${device.name}-ti-done.png`), fullPage: true });
        const done = await storedResponse(device.name);
        expect(done).toMatchObject({ status: 'completed', locale: 'ti' });
        expect(done?.locales_used).toEqual(['ar', 'ti']);
        expect(done?.answers).toMatchObject({ p_municipality: '0301', p_overall_sat: 4 });

        // The link now shows only the thank-you page.
        await page.goto(`${base}/s/${links.get(device.name)}`);
        await expect.poll(() => page.locator('[data-testid="message-done"]').count(), waitFor).toBe(1);
      } finally {
        await context.close();
      }
    });
  }

  // Badini (kmr-Arab): Kurdish letters in the Arabic font, right to left, and a lang tag with a script subtag.
  for (const lng of ['nb', 'ar', 'kmr-Arab']) {
    it(`has no serious or critical axe-core violation in ${lng}`, async () => {
      const context = await launchBrowser({ width: 390, height: 844 });
      try {
        const page = await context.newPage();
        const hosts = new Set<string>();
        page.on('request', (r) => hosts.add(new URL(r.url()).host));
        await page.goto(`${base}/s/${links.get(`axe-${lng}`)}`);
        const serious = () => seriousAxeViolations(page);
        // The start page first (title, introduction, language, start), then the questions.
        await page.getByTestId('start').waitFor({ timeout: 20_000 });
        expect(
          await page.evaluate(() => [document.documentElement.lang, document.documentElement.dir]),
        ).toEqual([lng, lng === 'nb' ? 'ltr' : 'rtl']);
        expect(await serious()).toEqual([]);
        await page.screenshot({ path: join(artifactsDir, `start-${lng}.png`), fullPage: true });
        await startSurvey(page);
        // Nothing is fetched from another host: no fonts, scripts or trackers from third parties.
        expect([...hosts].filter((h) => h !== new URL(base).host && h !== '')).toEqual([]);
        expect(await serious()).toEqual([]);
        await page.screenshot({ path: join(artifactsDir, `axe-${lng}.png`), fullPage: true });
      } finally {
        await context.close();
      }
    });
  }

  it('keeps answers typed offline, says so, and sends them when the link is opened again online', async () => {
    const context = await launchBrowser({ width: 390, height: 844 });
    try {
      const page = await context.newPage();
      await startSurvey(page, `${base}/s/${links.get('offline')}`);
      await context.setOffline(true);
      await page.locator('[data-name="p_prog_months"] input').fill('7');
      await page.locator('[data-name="p_prog_months"] input').blur();
      await expect
        .poll(() => page.getByTestId('save-state').textContent(), { timeout: 15_000 })
        .toBe(text('ar')['save.offline']);
      await page.close();
      expect((await storedResponse('offline'))?.answers?.p_prog_months).toBeUndefined();
      await context.setOffline(false);
      const again = await context.newPage();
      await startSurvey(again, `${base}/s/${links.get('offline')}`);
      await expect
        .poll(() => again.locator('[data-name="p_prog_months"] input').inputValue(), waitFor)
        .toBe('7');
      await expect
        .poll(async () => (await storedResponse('offline'))?.answers?.p_prog_months, { timeout: 15_000 })
        .toBe(7);
    } finally {
      await context.close();
    }
  });

  it('shows a clear page in the respondent’s language for a link that does not work', async () => {
    const context = await launchBrowser({ width: 390, height: 844 });
    try {
      const page = await context.newPage();
      await page.setExtraHTTPHeaders({ 'accept-language': 'ar' });
      await page.goto(`${base}/s/${'x'.repeat(43)}`);
      await expect
        .poll(() => page.locator('[data-testid="message-invalid"] h1').textContent(), waitFor)
        .toBeTruthy();
      const heading = await page.locator('h1').textContent();
      expect([text('nb')['invalid.title'], text('ar')['invalid.title']]).toContain(heading);
      expect(await page.locator('a[href^="/accessibility"]').count()).toBe(1);
    } finally {
      await context.close();
    }
  });
});
