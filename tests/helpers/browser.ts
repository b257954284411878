// Real Chromium (Debian's) driven by playwright-core, against the real app on a loopback port.
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type BrowserContext, chromium, type Page } from 'playwright-core';
import { chromiumExecutable, chromiumFlags } from '../../server/reports/chromium.ts';

export const chromiumPath = chromiumExecutable();
if (!chromiumPath && process.env.CI === 'true')
  throw new Error('Chromium is missing: run npm run setup:system');
if (!chromiumPath)
  process.stdout.write(
    '[svar tests] Chromium not found: browser suites SKIPPED. Install with: npm run setup:system\n',
  );

export const artifactsDir = fileURLToPath(new URL('../../test-results/screenshots/', import.meta.url));

export async function launchBrowser(viewport: { width: number; height: number }): Promise<BrowserContext> {
  mkdirSync(artifactsDir, { recursive: true });
  return chromium.launchPersistentContext(mkdtempSync(join(tmpdir(), 'svar-chromium-')), {
    executablePath: chromiumPath!,
    headless: true,
    viewport,
    locale: 'nb-NO',
    args: ['--headless', '--disable-quic', ...chromiumFlags],
  });
}

/** Builds the web app once into a private folder, so tests never race a developer's dist/. */
export async function buildWebInto(opts: { manifest?: boolean } = {}): Promise<string> {
  const outDir = mkdtempSync(join(tmpdir(), 'svar-dist-'));
  const { build } = await import('vite');
  await build({
    configFile: fileURLToPath(new URL('../../web/vite.config.ts', import.meta.url)),
    logLevel: 'error',
    build: { outDir, emptyOutDir: true, manifest: opts.manifest ?? false },
  });
  return outDir;
}

/**
 * Opens a respondent link (when given) and presses start, as a respondent does, then waits for SurveyJS's
 * questions. A read-only view (a submitted municipal response) has no start button and shows at once.
 */
export async function startSurvey(page: Page, url?: string, timeout = 20_000): Promise<void> {
  if (url) await page.goto(url);
  const start = page.getByTestId('start');
  const survey = page.locator('.sd-root-modern');
  await start.or(survey).first().waitFor({ timeout });
  if (await start.isVisible()) await start.click();
  await survey.waitFor({ timeout });
}
