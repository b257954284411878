// The municipal survey's delegation in Chromium: the chief executive delegates sections through the form, two
// colleagues answer in their own languages and say they are done, the chief executive sees it, answers Part A and
// submits (confirming a section nobody finished); provenance in the database; axe-core on both kinds of page;
// two devices of one link changing the same answer meet the conflict notice; a section taken back from under a
// delegate's fingers is said so, and its unsaved answer dropped.
import { readdirSync, readFileSync, rmSync } from 'node:fs';
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

vi.setConfig({ testTimeout: 240_000 });

/** Waiting for the page, generously: a loaded CI machine renders slowly; this is not a speed test. */
const waitFor = { timeout: 20_000 };

const text = (lng: string) =>
  JSON.parse(readFileSync(join(realPaths.localesDir, lng, 'respondent.json'), 'utf8')) as Record<
    string,
    string
  >;
/** A bokmål interface text (the chief executive's page is in bokmål). */
const nb = (key: string): string => text('nb')[key] ?? key;
/** A page title of the municipal survey as a language shows it (bokmål from the source modules). */
function pageTitle(lng: string, page: string): string {
  if (lng !== 'nb') {
    const file = join(realPaths.localesDir, lng, 'surveys', 'municipal-survey.json');
    return (JSON.parse(readFileSync(file, 'utf8')) as Record<string, { text: string }>)[`page:${page}.title`]!
      .text;
  }
  const modules = join(realPaths.surveysDir, 'municipal-survey', 'modules');
  const pages = readdirSync(modules).flatMap(
    (f) =>
      (JSON.parse(readFileSync(join(modules, f), 'utf8')) as { pages: { name: string; title: string }[] })
        .pages,
  );
  return pages.find((p) => p.name === page)!.title;
}

describe.skipIf(!chromiumPath)('delegation in the municipal survey, in Chromium', () => {
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
      instrumentId: 'municipal-survey',
      locales: ['nb', 'nn', 'en'],
      units: [
        { externalId: '4601', municipalityCode: '4601', preferredLocale: 'nb' },
        { externalId: '5001', municipalityCode: '5001', preferredLocale: 'nb' },
        { externalId: '3201', municipalityCode: '3201', preferredLocale: 'nb' },
      ],
    });
    base = server.base;
    links = server.links;
  }, 240_000);

  afterAll(async () => {
    await server?.close();
    await handle?.close();
    rmSync(dist, { recursive: true, force: true });
  });

  const storedResponses = (externalId: string) =>
    handle.db
      .selectFrom('response')
      .innerJoin('frame_unit', 'frame_unit.id', 'response.frame_unit_id')
      .selectAll('response')
      .where('frame_unit.external_id', '=', externalId)
      .execute();
  const delegateIdOf = async (name: string) =>
    (
      await handle.db
        .selectFrom('delegate_contact')
        .select('delegate_id')
        .where('name', '=', name)
        .executeTakeFirstOrThrow()
    ).delegate_id;

  const shot = (page: Page, name: string) =>
    page.screenshot({ path: join(artifactsDir, `delegation-${name}.png`), fullPage: true });

  async function waitSaved(page: Page, lng: string) {
    await expect
      .poll(() => page.getByTestId('save-state').textContent(), { timeout: 15_000 })
      .toBe(text(lng)['save.saved']);
  }

  async function open(context: BrowserContext, path: string) {
    const page = await context.newPage();
    await startSurvey(page, `${base}${path}`);
    return page;
  }

  /** Fills the delegation form on the chief executive's page; returns the path of the link it shows once. */
  async function delegateSections(
    page: Page,
    sections: string[],
    who: { name: string; email: string; locale: string; message?: string },
  ): Promise<string> {
    const item = page.locator(`[data-testid="delegation"] li[data-section="${sections[0]}"]`);
    await item.getByRole('button', { name: nb('delegation.delegate'), exact: true }).click();
    const form = page.getByTestId('delegate-form');
    for (const s of sections) await form.locator(`input[type="checkbox"][value="${s}"]`).check();
    await form.getByLabel(nb('form.name'), { exact: true }).fill(who.name);
    await form.getByLabel(nb('form.email'), { exact: true }).fill(who.email);
    await form.getByLabel(nb('form.language'), { exact: true }).selectOption(who.locale);
    if (who.message) await form.getByLabel(nb('form.message'), { exact: true }).fill(who.message);
    await form.locator('button[type="submit"]').click();
    const shown = page.getByTestId('delegate-link');
    await expect.poll(() => shown.locator('input').inputValue(), waitFor).toMatch(/\/s\/[A-Za-z0-9_-]{43}$/);
    const link = await shown.locator('input').inputValue();
    expect(await shown.textContent()).toContain(nb('link.notMailed'));
    await shot(page, `ce-link-${who.locale}`);
    await shown.getByRole('button', { name: nb('link.close'), exact: true }).click();
    // The server's public address is not this test's port: keep the path.
    return new URL(link).pathname;
  }

  const statusOf = (page: Page, section: string) =>
    page.locator(`[data-testid="delegation"] li[data-section="${section}"]`).getAttribute('data-status');

  it('delegates two sections, the colleagues answer and finish, the chief executive submits', async () => {
    const ce = await launchBrowser({ width: 1024, height: 900 });
    const nnContext = await launchBrowser({ width: 360, height: 740 });
    const enContext = await launchBrowser({ width: 800, height: 900 });
    try {
      const cePage = await open(ce, `/s/${links.get('4601')}`);
      await cePage.waitForSelector('[data-testid="delegation"]', waitFor);
      expect(await cePage.evaluate(() => document.documentElement.lang)).toBe('nb');
      expect(await cePage.locator('[data-testid="delegation"] h2').textContent()).toBe(
        nb('delegation.heading'),
      );
      expect(await statusOf(cePage, 'b_settlement')).toBe('not_started');
      await shot(cePage, 'ce-overview');
      expect(await seriousAxeViolations(cePage)).toEqual([]);
      // The form says what is missing, next to each field, in the page's language.
      await cePage.getByRole('button', { name: nb('form.open'), exact: true }).click();
      const form = cePage.getByTestId('delegate-form');
      await form.locator('button[type="submit"]').click();
      await expect.poll(() => form.locator('.svar-field-error').count(), waitFor).toBe(3);
      expect(await form.getByLabel(nb('form.name'), { exact: true }).getAttribute('aria-invalid')).toBe(
        'true',
      );
      await shot(cePage, 'ce-form-errors');
      expect(await seriousAxeViolations(cePage)).toEqual([]);
      await form.getByRole('button', { name: nb('form.cancel'), exact: true }).click();

      const nnPath = await delegateSections(cePage, ['b_settlement'], {
        name: 'Nora Nynorsk',
        email: 'nora@kommune.example',
        locale: 'nn',
        message: 'Kan du svare på bosettingsdelen?',
      });
      const enPath = await delegateSections(cePage, ['b_intro_programme'], {
        name: 'Eli English',
        email: 'eli@kommune.example',
        locale: 'en',
      });
      // A third colleague who never answers: the chief executive must confirm when submitting.
      await delegateSections(cePage, ['t_vol_cooperation'], {
        name: 'Vera Venter',
        email: 'vera@kommune.example',
        locale: 'nb',
      });
      // Given and taken back: the section is the chief executive's again.
      await delegateSections(cePage, ['t_interp_use'], {
        name: 'Tor Tilbake',
        email: 'tor@kommune.example',
        locale: 'nb',
      });
      const interp = cePage.locator('[data-testid="delegation"] li[data-section="t_interp_use"]');
      await expect.poll(() => interp.textContent(), waitFor).toContain('Tor Tilbake');
      await interp.getByRole('button', { name: nb('delegation.takeBack'), exact: true }).click();
      await expect.poll(() => interp.textContent(), waitFor).not.toContain('Tor Tilbake');
      expect(await interp.getAttribute('data-status')).toBe('not_started');
      expect(await cePage.locator('[data-testid="delegation"] [role="status"]').textContent()).toBe(
        nb('delegation.takenBack').replace('{{section}}', pageTitle('nb', 't_interp_use')),
      );
      const settlement = cePage.locator('[data-testid="delegation"] li[data-section="b_settlement"]');
      expect(await settlement.textContent()).toContain('Nora Nynorsk');
      expect(await settlement.textContent()).toContain('nora@kommune.example');
      await shot(cePage, 'ce-delegated');

      // The nynorsk colleague, on a phone: only its section, in nynorsk.
      const nnPage = await open(nnContext, nnPath);
      expect(
        await nnPage.evaluate(() => [document.documentElement.lang, document.documentElement.dir]),
      ).toEqual(['nn', 'ltr']);
      await expect
        .poll(() => nnPage.getByTestId('delegate-intro').textContent(), waitFor)
        .toContain(pageTitle('nn', 'b_settlement'));
      expect(await nnPage.locator('.sd-page__title').first().textContent()).toBe(
        pageTitle('nn', 'b_settlement'),
      );
      expect(await nnPage.locator('.sd-navigation__complete-btn').isVisible()).toBe(false);
      await nnPage.locator('[data-name="m_settle_requested_last_year"] input').fill('12');
      await nnPage.locator('[data-name="m_settle_decision_vs_request"] label').nth(1).click();
      await waitSaved(nnPage, 'nn');
      expect(await nnPage.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
      expect(await seriousAxeViolations(nnPage)).toEqual([]);
      await nnPage.getByTestId('delegate-done').getByRole('button').click();
      await expect
        .poll(() => nnPage.getByTestId('delegate-done').locator('[role="status"]').textContent(), waitFor)
        .toBe(text('nn')['delegate.doneStatus']);
      await shot(nnPage, 'delegate-nn-done');

      // The English colleague.
      const enPage = await open(enContext, enPath);
      expect(await enPage.evaluate(() => document.documentElement.lang)).toBe('en');
      await expect
        .poll(() => enPage.getByTestId('delegate-intro').textContent(), waitFor)
        .toContain(pageTitle('en', 'b_intro_programme'));
      await enPage.locator('[data-name="m_intro_full_time_share"] label').nth(2).click();
      await waitSaved(enPage, 'en');
      await enPage.getByTestId('delegate-done').getByRole('button').click();
      await expect
        .poll(() => enPage.getByTestId('delegate-done').locator('[role="status"]').textContent(), waitFor)
        .toBe(text('en')['delegate.doneStatus']);
      await shot(enPage, 'delegate-en-done');

      // The chief executive's overview follows (polling, and at once on focus).
      await expect
        .poll(
          async () => {
            await cePage.evaluate(() => window.dispatchEvent(new Event('focus')));
            return [await statusOf(cePage, 'b_settlement'), await statusOf(cePage, 'b_intro_programme')];
          },
          { timeout: 30_000, interval: 1000 },
        )
        .toEqual(['done', 'done']);
      await shot(cePage, 'ce-statuses-done');

      // Part A: the chief executive's own required questions.
      await cePage.locator('[data-name="m_pol_priority"] label').nth(1).click();
      await cePage.locator('[data-name="m_intro_result_targets"] label').nth(1).click();
      await waitSaved(cePage, 'nb');
      await cePage.locator('.sd-navigation__next-btn').click();
      await cePage.locator('.sd-navigation__next-btn').click();
      // The delegated section: read-only for the chief executive, with the colleague's answer.
      await expect
        .poll(() => cePage.locator('.sd-page__title').first().textContent(), waitFor)
        .toBe(pageTitle('nb', 'b_settlement'));
      expect(await cePage.getByTestId('delegated-page').textContent()).toContain('Nora Nynorsk');
      const requested = cePage.locator('[data-name="m_settle_requested_last_year"] input');
      expect(await requested.inputValue()).toBe('12');
      expect(await requested.isEditable()).toBe(false);
      await shot(cePage, 'ce-read-only-section');

      for (let i = 0; i < 30; i++) {
        if (await cePage.locator('.sd-navigation__complete-btn').isVisible()) break;
        await cePage.locator('.sd-navigation__next-btn').click();
      }
      await cePage.locator('.sd-navigation__complete-btn').click();
      const confirm = cePage.getByTestId('submit-confirm');
      await expect.poll(() => confirm.isVisible(), waitFor).toBe(true);
      expect(await confirm.getAttribute('role')).toBe('alertdialog');
      expect(await confirm.textContent()).toContain('Vera Venter');
      expect(await confirm.textContent()).not.toContain('Nora Nynorsk');
      await shot(cePage, 'ce-confirm');
      await confirm.getByRole('button', { name: nb('confirm.submit'), exact: true }).click();
      await expect
        .poll(() => cePage.locator('[data-testid="message-done"] h1').textContent(), waitFor)
        .toBe(nb('done.title'));

      // One response, every answer with who gave it.
      const rows = await storedResponses('4601');
      expect(rows).toHaveLength(1);
      const [stored] = rows;
      expect(stored?.status).toBe('completed');
      expect(stored?.answers).toMatchObject({
        m_pol_priority: 2,
        m_intro_result_targets: 2,
        m_settle_requested_last_year: 12,
        m_settle_decision_vs_request: 2,
        m_intro_full_time_share: 3,
      });
      const by = (code: string) => stored?.answer_meta[code]?.by;
      expect(by('m_pol_priority')).toBe('chief_executive');
      expect(by('m_intro_result_targets')).toBe('chief_executive');
      expect(by('m_settle_requested_last_year')).toBe(`delegate:${await delegateIdOf('Nora Nynorsk')}`);
      expect(by('m_settle_decision_vs_request')).toBe(`delegate:${await delegateIdOf('Nora Nynorsk')}`);
      expect(by('m_intro_full_time_share')).toBe(`delegate:${await delegateIdOf('Eli English')}`);

      // Afterwards every link of the municipality shows the answers, read-only.
      const after = await open(ce, `/s/${links.get('4601')}`);
      await expect
        .poll(() => after.getByTestId('read-only').textContent(), waitFor)
        .toBe(nb('readonly.notice'));
      expect(await after.locator('[data-testid="delegation"]').count()).toBe(0);
      await shot(after, 'ce-read-only');
      await nnPage.goto(`${base}${nnPath}`);
      await expect
        .poll(() => nnPage.getByTestId('read-only').textContent(), waitFor)
        .toBe(text('nn')['readonly.notice']);
      expect(await nnPage.locator('[data-name="m_settle_requested_last_year"] input').isEditable()).toBe(
        false,
      );
      await shot(nnPage, 'delegate-nn-read-only');
    } finally {
      await Promise.all([ce.close(), nnContext.close(), enContext.close()]);
    }
  });

  it('shows two devices of one link changing the same answer, and lets each keep theirs or take the other', async () => {
    const first = await launchBrowser({ width: 1024, height: 900 });
    const second = await launchBrowser({ width: 390, height: 844 });
    try {
      const a = await open(first, `/s/${links.get('5001')}`);
      const b = await open(second, `/s/${links.get('5001')}`);
      const choose = (page: Page, nth: number) =>
        page.locator('[data-name="m_pol_priority_change"] label').nth(nth).click();
      const stored = async () => (await storedResponses('5001'))[0]?.answers.m_pol_priority_change;

      await choose(a, 0);
      await waitSaved(a, 'nb');
      expect(await stored()).toBe(1);
      // The second device saw no answer when it opened: its change meets the first device's.
      await choose(b, 2);
      const notice = b.getByTestId('conflicts');
      await expect.poll(() => notice.isVisible(), waitFor).toBe(true);
      expect(await notice.getAttribute('role')).toBe('alert');
      expect(await notice.textContent()).toContain(nb('conflict.theirs.self'));
      expect(await b.getByTestId('save-state').textContent()).toBe(nb('save.conflict'));
      await shot(b, 'conflict');
      expect(await seriousAxeViolations(b)).toEqual([]);
      await notice.getByRole('button', { name: nb('conflict.keepMine'), exact: true }).click();
      await expect.poll(stored, waitFor).toBe(3);
      expect(await notice.count()).toBe(0);

      // Now the first device is behind: it takes the other device's answer instead.
      await choose(a, 1);
      const onA = a.getByTestId('conflicts');
      await expect.poll(() => onA.isVisible(), waitFor).toBe(true);
      await onA.getByRole('button', { name: nb('conflict.useTheirs'), exact: true }).click();
      await expect
        .poll(() => a.locator('[data-name="m_pol_priority_change"] input[value="3"]').isChecked(), waitFor)
        .toBe(true);
      await a.waitForTimeout(1500);
      expect(await stored()).toBe(3);
      expect(
        await a.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('svar:outbox'))),
      ).toEqual([]);
    } finally {
      await Promise.all([first.close(), second.close()]);
    }
  });

  it('tells a delegate its section was taken back, drops what it could not save and shows what is left', async () => {
    const ce = `/api/v1/respond/${links.get('3201')}`;
    const post = async (path: string, body: unknown) => {
      const res = await fetch(`${base}${ce}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      expect(res.status, await res.clone().text()).toBeLessThan(300);
      return (await res.json()) as { link: string };
    };
    const { link } = await post('/delegations', {
      sections: ['b_qualification', 'b_business_nav'],
      name: 'Dag Delegat',
      email: 'dag@kommune.example',
      locale: 'nb',
    });
    const context = await launchBrowser({ width: 390, height: 844 });
    try {
      const page = await open(context, new URL(link).pathname);
      const share = (nth: number) =>
        page.locator('[data-name="m_qual_share_no_formal"] label').nth(nth).click();
      await share(0);
      await waitSaved(page, 'nb');
      await post('/delegations/take-back', { sections: ['b_qualification'] });
      await share(3);
      await expect
        .poll(
          () =>
            page
              .locator('[role="alert"]')
              .filter({ hasText: nb('scope.dropped') })
              .count(),
          waitFor,
        )
        .toBe(1);
      await expect
        .poll(() => page.locator('.sd-page__title').first().textContent(), waitFor)
        .toBe(pageTitle('nb', 'b_business_nav'));
      expect(await page.getByTestId('delegate-intro').textContent()).not.toContain(
        pageTitle('nb', 'b_qualification'),
      );
      await shot(page, 'taken-back');
      await page.waitForTimeout(1500);
      expect(
        await page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('svar:outbox'))),
      ).toEqual([]);
      expect((await storedResponses('3201'))[0]?.answers.m_qual_share_no_formal).toBe(1);
    } finally {
      await context.close();
    }
  });
});
