// In Chromium: a chief executive's page names the wave's year where the item used to say "the past year", in
// bokmål and in Arabic (right to left), filled in by the respondent page from what opening the link returned.
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../server/db/connect.ts';
import { migrateToLatest } from '../../server/db/migrate.ts';
import { readInstrumentSource } from '../../server/surveys/source.ts';
import { referenceYearOf } from '../../server/surveys/wave-variables.ts';
import {
  artifactsDir,
  buildWebInto,
  chromiumPath,
  desktopViewport,
  launchBrowser,
  startSurvey,
} from '../helpers/browser.ts';
import { startRespondentServer } from '../helpers/respondent-server.ts';
import { realPaths } from '../helpers/surveys.ts';

/** An item's title in a language as written, before the wave fills its years in (bokmål: the module). */
function written(lng: string, key: string): string {
  if (lng === 'nb') {
    const [code, prop] = key.split('.') as [string, string];
    const partA = readInstrumentSource(realPaths.surveysDir, 'municipal-survey').modules[0]!;
    const elements = partA.pages.flatMap((p) => p.elements as Record<string, string>[]);
    return elements.find((e) => e.name === code)![prop]!;
  }
  const file = join(realPaths.localesDir, lng, 'surveys', 'municipal-survey.json');
  return (JSON.parse(readFileSync(file, 'utf8')) as Record<string, { text: string }>)[key]!.text;
}

describe.skipIf(!chromiumPath)('the wave year on the respondent page, in Chromium', () => {
  let handle: Awaited<ReturnType<typeof openDatabase>>;
  let server: Awaited<ReturnType<typeof startRespondentServer>>;
  let context: BrowserContext;
  let dist: string;
  let previousYear: number;

  beforeAll(async () => {
    dist = await buildWebInto();
    handle = await openDatabase({ kind: 'pglite', dataDir: null });
    await migrateToLatest(handle.db);
    server = await startRespondentServer(handle, {
      webDist: dist,
      instrumentId: 'municipal-survey',
      locales: ['nb', 'nn', 'ar'],
      units: [
        { externalId: '4601', municipalityCode: '4601', preferredLocale: 'nb' },
        { externalId: '5001', municipalityCode: '5001', preferredLocale: 'ar' },
      ],
    });
    // The wave has no scheduled opening: its year is the one it was opened in.
    const wave = await handle.db.selectFrom('wave').select('opened_at').executeTakeFirstOrThrow();
    previousYear = referenceYearOf({ opensAt: null, openedAt: wave.opened_at }, new Date()) - 1;
    context = await launchBrowser(desktopViewport);
  }, 240_000);

  afterAll(async () => {
    await context?.close();
    await server?.close();
    await handle?.close();
    if (dist) rmSync(dist, { recursive: true, force: true });
  });

  it.each([
    ['4601', 'nb', 'ltr'],
    ['5001', 'ar', 'rtl'],
  ])('unit %s reads the year in %s (%s)', async (unit, lng, dir) => {
    const page = await context.newPage();
    await startSurvey(page, `${server.base}/s/${server.links.get(unit)}`);
    expect(await page.evaluate(() => [document.documentElement.lang, document.documentElement.dir])).toEqual([
      lng,
      dir,
    ]);
    const title = page.locator('[data-name="m_pol_priority_change"] .sd-question__title');
    const expected = written(lng, 'm_pol_priority_change.title').replace(
      '{previousYear}',
      String(previousYear),
    );
    expect(expected).not.toContain('{');
    await expect.poll(() => title.textContent()).toContain(expected.replace(/[?؟]$/, ''));
    expect(await title.textContent()).not.toContain('{previousYear}');
    await page.screenshot({ path: join(artifactsDir, `wave-year-${lng}.png`) });
    await page.close();
  });
});
