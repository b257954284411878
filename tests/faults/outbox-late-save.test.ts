// The browser outbox against a network that loses and then late-delivers a save: the page's first save fails, the
// respondent changes the answer, the page's retry carries the newer value, and then the lost request arrives after
// all. The stored answer stays the newer one, because the page numbers its saves (ADR 5, rule 6).
import { rmSync } from 'node:fs';
import type { Request } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { type DatabaseHandle, openDatabase } from '../../server/db/connect.ts';
import { migrateToLatest } from '../../server/db/migrate.ts';
import { buildWebInto, chromiumPath, launchBrowser, startSurvey } from '../helpers/browser.ts';
import { startRespondentServer } from '../helpers/respondent-server.ts';

vi.setConfig({ testTimeout: 180_000 });

describe.skipIf(!chromiumPath)('a lost save delivered late, from a real page', () => {
  let handle: DatabaseHandle;
  let server: Awaited<ReturnType<typeof startRespondentServer>>;
  let dist: string;
  beforeAll(async () => {
    dist = await buildWebInto();
    handle = await openDatabase({ kind: 'pglite', dataDir: null });
    await migrateToLatest(handle.db);
    server = await startRespondentServer(handle, {
      webDist: dist,
      locales: ['nb', 'nn', 'ar'],
      units: [{ externalId: 'late', preferredLocale: 'nb' }],
    });
  }, 240_000);
  afterAll(async () => {
    await server?.close();
    await handle?.close();
    if (dist) rmSync(dist, { recursive: true, force: true });
  });

  const stored = () => handle.db.selectFrom('response').select(['answers', 'answer_meta']).executeTakeFirst();

  it('keeps the newer answer when the older request arrives after it', async () => {
    const context = await launchBrowser({ width: 390, height: 844 });
    try {
      const page = await context.newPage();
      const token = server.links.get('late')!;
      const sent: Request[] = [];
      // The first save is lost on the way (the page sees a network error); the rest go through.
      await page.route('**/api/v1/respond/*/answers', async (route) => {
        const request = route.request();
        if (request.method() !== 'POST') return route.continue();
        sent.push(request);
        return sent.length === 1 ? route.abort('failed') : route.continue();
      });
      await startSurvey(page, `${server.base}/s/${token}`);
      const months = page.locator('[data-name="p_prog_months"] input');
      await months.fill('7');
      await expect.poll(() => sent.length, { timeout: 15_000 }).toBe(1);
      await months.fill('9');
      await expect.poll(async () => (await stored())?.answers.p_prog_months, { timeout: 20_000 }).toBe(9);
      const lost = sent[0]!.postDataJSON() as { answers: Record<string, unknown>; seq: number };
      expect(lost.answers.p_prog_months).toBe(7);
      const meta = (await stored())!.answer_meta.p_prog_months as { seq?: number };
      expect(meta.seq).toBeGreaterThan(lost.seq);

      // The lost request reaches the server after all.
      const late = await fetch(`${server.base}/api/v1/respond/${token}/answers`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: sent[0]!.postData()!,
      });
      expect(late.status).toBe(200);
      expect((await stored())!.answers.p_prog_months).toBe(9);
      // And the page, reloaded, shows the newer answer.
      await page.unroute('**/api/v1/respond/*/answers');
      await startSurvey(page, `${server.base}/s/${token}`);
      await expect
        .poll(() => page.locator('[data-name="p_prog_months"] input').inputValue(), { timeout: 15_000 })
        .toBe('9');
    } finally {
      await context.close();
    }
  });
});
