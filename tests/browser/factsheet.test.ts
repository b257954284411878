// A municipality's fact sheet in Chromium: fetched over the API by the municipality's own user as HTML and as PDF,
// the page screenshotted (test-results/screenshots/), axe-core finding no serious or critical violation, and the
// PDF a real PDF. Embedded database only: what is tested here is the page, not the SQL.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { openDatabase } from '../../server/db/connect.ts';
import { migrateToLatest } from '../../server/db/migrate.ts';
import { answeredParticipantWave } from '../helpers/answered-wave.ts';
import { createStaff, logInAs, makeApp } from '../helpers/app.ts';
import { artifactsDir, chromiumPath, launchBrowser, seriousAxeViolations } from '../helpers/browser.ts';

vi.setConfig({ testTimeout: 180_000 });

const _cli = { kind: 'cli' } as const;
const now = new Date('2026-11-26T09:00:00Z');
/** Oslo (the demo's municipality user) and two Vestland municipalities, one of them small. */
const satisfaction: Record<string, number[]> = {
  '0301': [4, 4, 5, 5, 3, 4, 2, 5, 4, 4, 5, 1],
  '4601': [4, 4, 4, 5, 5, 5, 2, 4],
  '4626': [4, 5, 4],
  '5001': [3, 4, 2, 5, 4, 3],
};

describe.skipIf(!chromiumPath)('a fact sheet in Chromium', () => {
  let handle: Awaited<ReturnType<typeof openDatabase>>;
  let browser: BrowserContext;
  let request: (path: string) => Promise<Response>;
  let waveId: string;

  beforeAll(async () => {
    handle = await openDatabase({ kind: 'pglite', dataDir: null });
    await migrateToLatest(handle.db);
    waveId = await answeredParticipantWave(handle, {
      name: 'Faktaark i nettleser',
      satisfaction,
      seed: 'factsheet-browser',
      now,
      closedAt: new Date('2026-11-30T00:00:00Z'),
    });

    const real = makeApp(handle);
    const app = real;
    const oslo = await createStaff(handle.db, { role: 'municipality', municipalityCode: '0301' });
    const { cookie } = await logInAs(real, oslo.email, oslo.password);
    request = async (path) => app.request(path, { headers: { cookie } });
    browser = await launchBrowser({ width: 1000, height: 1400 });
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await handle?.close();
  });

  it("Oslo's own user opens its sheet: rendered, screenshotted, no serious or critical axe violation", async () => {
    const res = await request(`/api/v1/waves/${waveId}/factsheets/0301`);
    expect(res.status).toBe(200);
    const html = await res.text();
    const page = await browser.newPage();
    await page.setContent(html, { waitUntil: 'load' });
    await page.screenshot({ path: join(artifactsDir, 'factsheet-0301.png'), fullPage: true });
    expect(await page.locator('h1').textContent()).toContain('Oslo');
    // Every chart is an image with a text alternative, and its figures are in a table with header cells.
    const charts = page.locator('figure .chart[role="img"]');
    expect(await charts.count()).toBeGreaterThan(10);
    expect(await charts.first().getAttribute('aria-label')).toMatch(/Stolpediagram/);
    expect(await page.locator('th[scope="row"]').count()).toBeGreaterThan(50);
    expect(await seriousAxeViolations(page)).toEqual([]);
    await page.close();
  });

  it('and as a PDF printed by Chromium', async () => {
    const res = await request(`/api/v1/waves/${waveId}/factsheets/0301?format=pdf`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/pdf');
    const pdf = Buffer.from(await res.arrayBuffer());
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(pdf.length).toBeGreaterThan(20_000);
    writeFileSync(join(artifactsDir, 'factsheet-0301.pdf'), pdf);
  });
});
