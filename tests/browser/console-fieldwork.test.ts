// The console's fieldwork screens in Chromium against the real app: an admin creates a sample wave, uploads a bad
// frame (the bad rows are listed) and a good one (with upload progress), draws a stratified sample (allocation
// table), opens the wave (the distribution list downloads, and its links work), follows the responses on the
// monitor (tables, a bar chart, a map; a small county too few to show) and sends reminders by e-mail through a
// real SMTP server that refuses some recipients (sent and failed counted as the sender works); the delegations
// of a municipal-survey wave. axe-core on every screen, screenshots at 360 px and desktop. Embedded database only: what is tested here
// is the console, not the SQL (the API's own tests run on both databases).
import { readFileSync, rmSync } from 'node:fs';
import type { BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { testConfig } from '../../server/config.ts';
import { openDatabase } from '../../server/db/connect.ts';
import { migrateToLatest } from '../../server/db/migrate.ts';
import { delegateSections } from '../../server/delegation/service.ts';
import { syntheticAnswers } from '../../server/demo/synthetic-answers.ts';
import { createRng } from '../../server/fieldwork/sampling.ts';
import { addUnits, createWave, openWave } from '../../server/fieldwork/service.ts';
import { saveAnswers, submitResponse } from '../../server/responses/service.ts';
import { getVersion, publishInstrument } from '../../server/surveys/service.ts';
import { createStaff } from '../helpers/app.ts';
import {
  buildWebInto,
  checkConsoleScreen,
  chromiumPath,
  desktopViewport,
  launchBrowser,
} from '../helpers/browser.ts';
import { serveWebApp } from '../helpers/respondent-server.ts';
import { type MisbehavingSmtp, startMisbehavingSmtp } from '../helpers/smtp.ts';
import { realPaths } from '../helpers/surveys.ts';

vi.setConfig({ testTimeout: 240_000 });

const cli = { kind: 'cli' } as const;
const desktop = desktopViewport;
/** Waiting for the page, generously: a loaded machine renders slowly; this is not a speed test. */
const waitFor = { timeout: 30_000 };

/** Oslo, Bergen (Vestland) and Trondheim (Trøndelag) with many participants, Stavanger (Rogaland) with three. */
const frameUnits: Record<string, number> = { '0301': 30, '4601': 20, '5001': 20, '1103': 3 };
function goodFrame(): string {
  const rows = Object.entries(frameUnits).flatMap(([code, n]) =>
    // Stavanger's participants have no e-mail address: their reminders go on the distribution list.
    Array.from({ length: n }, (_, i) => {
      const email = code === '1103' ? '' : `deltaker.${code}.${i}@example.no`;
      return `${code}-${i};${code};nb;Deltaker ${code} ${i};${email}`;
    }),
  );
  return ['external_id;municipality_code;preferred_language;name;email', ...rows].join('\n');
}
const badFrame = [
  'external_id;municipality_code;preferred_language;name',
  'a-1;0301;nb;Ola',
  'a-2;9999;nb;Kari',
  'a-1;4601;nb;Per',
].join('\n');

describe.skipIf(!chromiumPath)('the fieldwork screens of the console in Chromium', () => {
  let handle: Awaited<ReturnType<typeof openDatabase>>;
  let dist: string;
  let base: string;
  let close: () => Promise<void>;
  let browser: BrowserContext;
  let municipalWaveId: string;
  let admin: { email: string; password: string };
  let smtp: MisbehavingSmtp;

  beforeAll(async () => {
    dist = await buildWebInto();
    handle = await openDatabase({ kind: 'pglite', dataDir: null });
    await migrateToLatest(handle.db);
    await publishInstrument(handle.db, realPaths, 'participant-survey', cli);
    const municipal = await publishInstrument(handle.db, realPaths, 'municipal-survey', cli);
    const wave = await createWave(
      handle.db,
      {
        instrumentId: 'municipal-survey',
        version: municipal.version,
        name: 'Kommuneundersøkelsen i nettleser',
        mode: 'census',
        locales: ['nb', 'nn', 'en'],
        allowDraftLocales: true,
      },
      cli,
    );
    municipalWaveId = wave.id;
    await addUnits(
      handle.db,
      wave.id,
      ['4601', '5001', '3201'].map((code) => ({ externalId: code, municipalityCode: code })),
    );
    const chiefs = await openWave(handle.db, wave.id, cli, new Date());
    // Bergen's chief executive delegates the settlement section to a colleague (no SMTP: no mail is sent).
    await delegateSections(
      handle.db,
      { ...testConfig(), localesDir: realPaths.localesDir },
      chiefs.find((l) => l.externalId === '4601')!.token,
      {
        sections: ['b_settlement'],
        name: 'Kari Kollega',
        email: 'kari.kollega@bergen.kommune.no',
        locale: 'nn',
      },
      new Date(),
    );
    admin = await createStaff(handle.db, { role: 'admin' });
    // Trondheim's mail server refuses every recipient for good (550): those mails fail, the rest are sent.
    smtp = await startMisbehavingSmtp({ reply: (address) => (address.includes('.5001.') ? 550 : undefined) });
    ({ base, close } = await serveWebApp(handle, {
      webDist: dist,
      config: { smtpUrl: smtp.url, mailRate: 1000 },
    }));
    browser = await launchBrowser(desktop);
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    await close?.();
    await smtp?.close();
    await handle?.close();
    if (dist) rmSync(dist, { recursive: true, force: true });
  });

  /** axe at desktop width and at 360 px, screenshots of both, and nothing scrolling sideways at 360 px. */

  async function logIn(path: string) {
    const page = await browser.newPage();
    await page.goto(`${base}${path}`);
    // The browser profile is shared by the tests: a session from an earlier one is still there.
    const signedIn = page.getByTestId('signed-in-as');
    await page.getByLabel('E-post').or(signedIn).first().waitFor(waitFor);
    if (await signedIn.isVisible()) return page;
    await page.getByLabel('E-post').fill(admin.email);
    await page.getByLabel('Passord').fill(admin.password);
    await page.getByRole('button', { name: 'Logg inn' }).click();
    await page.getByTestId('signed-in-as').waitFor(waitFor);
    return page;
  }

  /** Answers and submits through the links of a downloaded distribution list, as respondents would. */
  async function respond(list: string, perMunicipality: Record<string, number>) {
    const { definition } = await getVersion(handle.db, 'participant-survey', 1);
    const rng = createRng('console-fieldwork');
    const rows = list
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\n')
      .slice(1)
      .map((line) => line.split(';'));
    const left = { ...perMunicipality };
    const now = new Date();
    for (const [, link, , , code] of rows) {
      if (!code || !left[code]) continue;
      left[code] -= 1;
      const token = new URL(link!).pathname.split('/').pop()!;
      const pages = syntheticAnswers(
        definition,
        { municipalityCode: code, locale: 'nb', satisfaction: 4 },
        rng,
      );
      const answers = Object.assign({ p_municipality: code }, ...pages.map((p) => p.answers));
      await saveAnswers(handle.db, token, { answers, locale: 'nb' }, { now });
      await submitResponse(handle.db, token, { now });
    }
    expect(Object.values(left).every((n) => n === 0)).toBe(true);
  }

  it('walks a sample wave from creation through frame, sample and opening to the monitor', async () => {
    const page = await logIn('/waves');
    await page.getByRole('heading', { name: 'Datainnsamlinger' }).waitFor(waitFor);
    await page.getByRole('link', { name: 'Kommuneundersøkelsen i nettleser' }).waitFor(waitFor);
    await checkConsoleScreen(page, 'console-fieldwork-waves');

    await page.getByRole('link', { name: 'Ny datainnsamling' }).click();
    await page.getByRole('heading', { name: 'Ny datainnsamling' }).waitFor(waitFor);
    await page.getByLabel('Skjema og versjon').selectOption('participant-survey@1');
    await page.getByLabel('Navn', { exact: true }).fill('Deltakerundersøkelsen i nettleser');
    await page.getByLabel('Pilot: tillat språk som bare er utkast').check();
    await page.getByLabel(/\(nb\)$/).check();
    await page.getByLabel(/\(nn\)$/).check();
    await checkConsoleScreen(page, 'console-fieldwork-new-wave');
    await page.getByRole('button', { name: 'Opprett datainnsamling' }).click();
    await page.getByRole('heading', { name: 'Deltakerundersøkelsen i nettleser' }).waitFor(waitFor);
    const waveId = new URL(page.url()).pathname.split('/')[2]!;
    const stored = await handle.db
      .selectFrom('wave')
      .selectAll()
      .where('id', '=', waveId)
      .executeTakeFirstOrThrow();
    expect(stored).toMatchObject({ mode: 'sample', status: 'draft', locales: ['nb', 'nn'] });

    // A bad frame: refused as a whole, its bad rows listed.
    await page.locator('#frame-file').setInputFiles({
      name: 'bad.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(badFrame),
    });
    await page.getByRole('button', { name: 'Last opp' }).click();
    const refusal = page.getByRole('alert');
    await refusal.getByRole('table').waitFor(waitFor);
    expect(await refusal.getByRole('row').count()).toBe(3); // header, the unknown code, the duplicate id
    expect(await refusal.textContent()).toMatch(/9999/);
    await checkConsoleScreen(page, 'console-fieldwork-frame-refused');
    const units = () =>
      handle.db.selectFrom('frame_unit').select('id').where('wave_id', '=', waveId).execute();
    expect(await units()).toHaveLength(0);

    // A good frame, with the upload's progress shown while it is sent and checked.
    await page.evaluate(() => {
      const seen = { progress: false };
      (window as unknown as { seen: typeof seen }).seen = seen;
      new MutationObserver(() => {
        if (document.querySelector('progress[aria-label="Opplasting av utvalgsrammen"]'))
          seen.progress = true;
      }).observe(document.body, { childList: true, subtree: true });
    });
    await page.locator('#frame-file').setInputFiles({
      name: 'deltakere.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(goodFrame()),
    });
    await page.getByRole('button', { name: 'Last opp' }).click();
    await page.getByText('Utvalgsrammen er lagret: 73 rader lest, 73 nye').waitFor(waitFor);
    expect(
      await page.evaluate(() => (window as unknown as { seen: { progress: boolean } }).seen.progress),
    ).toBe(true);
    expect(await units()).toHaveLength(73);

    // A stratified draw: the allocation table adds up to the size asked for.
    await page.getByLabel('Stratifiser etter').selectOption('county');
    await page.getByLabel('Utvalgsstørrelse').fill('40');
    await page.getByLabel('Minst per stratum').fill('2');
    await page.getByLabel('Frø', { exact: true }).fill('nettleser');
    await page.getByRole('button', { name: 'Trekk utvalg' }).click();
    const allocation = page.getByRole('table', { name: 'Allokering per stratum' });
    await allocation.waitFor(waitFor);
    const sumRow = allocation.getByRole('row').filter({ hasText: 'Sum' });
    expect(await sumRow.textContent()).toMatch(/73\s*40/);
    expect(await allocation.getByRole('row').count()).toBe(6); // header, 4 counties, sum
    await checkConsoleScreen(page, 'console-fieldwork-sampled');

    // Opening asks first, then the distribution list downloads: one working link per selected unit.
    await page.getByRole('button', { name: 'Åpne datainnsamlingen' }).click();
    await page.getByRole('dialog').getByText('Dette kan ikke gjøres om').waitFor(waitFor);
    // axe reads colours as they are drawn: let the dialog finish fading in first.
    await page
      .getByRole('dialog')
      .evaluate((el) => Promise.all(el.getAnimations({ subtree: true }).map((a) => a.finished)));
    await checkConsoleScreen(page, 'console-fieldwork-open-confirm');
    const download = page.waitForEvent('download', waitFor);
    await page.getByRole('button', { name: 'Ja, åpne' }).click();
    const file = await download;
    expect(file.suggestedFilename()).toMatch(/round-1\.csv$/);
    const list = readFileSync((await file.path())!, 'utf8');
    expect(list.trim().split('\n')).toHaveLength(41);
    await page.getByText('Runde 1: 40 lenker på distribusjonslisten.').waitFor(waitFor);
    await page.getByRole('region', { name: 'Runder' }).getByRole('row').nth(1).waitFor(waitFor);
    await checkConsoleScreen(page, 'console-fieldwork-opened');

    await respond(list, { '0301': 10, '4601': 6, '5001': 5 });

    await page.getByRole('link', { name: 'Følg svarinngangen' }).click();
    await page.getByText('21 av 40 inviterte har svart').waitFor(waitFor);
    const map = page.getByTestId('progress-map');
    await map.waitFor(waitFor);
    expect(await map.locator('path[data-code]').count()).toBe(15);
    expect(await map.locator('path[data-code="03"]').getAttribute('fill')).toMatch(/^#/);
    expect(await map.locator('path[data-code="11"]').getAttribute('fill')).toBe('url(#fieldwork-hidden)');
    await page.getByTestId('progress-chart').locator('.recharts-bar-rectangle').first().waitFor(waitFor);
    const byCounty = page.getByRole('region', { name: 'Svarprosent per fylke' }).last();
    expect(await byCounty.getByRole('row').filter({ hasText: 'Rogaland' }).textContent()).toMatch(
      /For få til å vises/,
    );
    expect(await page.getByText('© Kartverket, CC BY 4.0').isVisible()).toBe(true);
    await checkConsoleScreen(page, 'console-fieldwork-monitor-county');

    // The breakdowns are tabs a keyboard moves through with the arrow keys.
    await page.getByRole('tab', { name: 'Fylke' }).focus();
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('Enter');
    expect(await page.getByRole('tab', { name: 'Kommune' }).getAttribute('aria-selected')).toBe('true');
    await page.getByTestId('progress-map').locator('path[data-code="0301"]').waitFor(waitFor);
    expect(await page.getByTestId('progress-map').locator('path[data-code]').count()).toBe(357);
    await checkConsoleScreen(page, 'console-fieldwork-monitor-municipality');

    // Reminders by e-mail: those with an address are mailed in the background while the rounds table follows.
    await page.getByRole('link', { name: 'Tilbake til datainnsamlingen' }).click();
    await page.getByLabel('Send e-post fra Svar').check();
    await page.getByRole('button', { name: 'Send purring' }).click();
    const reminderList = page.waitForEvent('download', waitFor);
    await page.getByRole('button', { name: 'Ja, send purring' }).click();
    expect((await reminderList).suggestedFilename()).toMatch(/round-2\.csv$/);
    const queue = await handle.db
      .selectFrom('mail_queue')
      .select(['frame_unit_id'])
      .where('round', '=', 2)
      .execute();
    const refused = (
      await handle.db
        .selectFrom('mail_queue')
        .innerJoin('frame_unit', 'frame_unit.id', 'mail_queue.frame_unit_id')
        .select('frame_unit.id')
        .where('mail_queue.round', '=', 2)
        .where('frame_unit.municipality_code', '=', '5001')
        .execute()
    ).length;
    expect(refused).toBeGreaterThan(0);
    const sent = queue.length - refused;
    await page
      .getByText(`${sent} sendt, 0 venter, ${refused} feilet, av ${queue.length}.`)
      .waitFor({ timeout: 60_000 });
    expect(smtp.accepted).toHaveLength(sent);
    await checkConsoleScreen(page, 'console-fieldwork-reminded');
    await page.close();
  });

  it('shows a municipal wave’s delegations by section and by municipality', async () => {
    const page = await logIn(`/waves/${municipalWaveId}/delegations`);
    await page
      .getByRole('heading', { name: /^Delegering: Kommuneundersøkelsen i nettleser/ })
      .waitFor(waitFor);
    const units = page.getByRole('region', { name: 'Per kommune' });
    await units.getByRole('row').nth(3).waitFor(waitFor);
    expect(await units.getByRole('row').count()).toBe(4);
    const bergen = await units.getByRole('row').filter({ hasText: 'Bergen' }).textContent();
    // Admins see who the section went to; the other sections are not started.
    expect(bergen).toMatch(/Delegert til Kari Kollega/);
    expect(bergen).toMatch(/Ikke startet/);
    const settlement = page
      .getByRole('region', { name: 'Per del av skjemaet' })
      .getByRole('row')
      .filter({ hasText: 'Bosetting av flyktninger' })
      .first();
    // Invited 3, delegated 1, not started 3, in progress 0, done 0, submitted 0.
    expect((await settlement.getByRole('cell').allTextContents()).slice(0, 6)).toEqual([
      '3',
      '1',
      '3',
      '0',
      '0',
      '0',
    ]);
    expect(
      await page.getByRole('region', { name: 'Per del av skjemaet' }).getByRole('row').count(),
    ).toBeGreaterThan(1);
    await checkConsoleScreen(page, 'console-fieldwork-delegations');
    await page.close();
  });
});
