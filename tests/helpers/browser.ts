// Real Chromium (Debian's) driven by playwright-core, against the real app on a loopback port.
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type BrowserContext, chromium, type Page } from 'playwright-core';
import { expect } from 'vitest';
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

export const desktopViewport = { width: 1280, height: 900 };
export const phoneViewport = { width: 360, height: 740 };

/** axe-core's serious and critical violations on the page, one line each (empty: none). */
export async function seriousAxeViolations(page: Page): Promise<string[]> {
  const { default: AxeBuilder } = await import('@axe-core/playwright');
  const result = await new AxeBuilder({ page }).analyze();
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

/**
 * A console screen checked as the issue asks: no serious axe violation at desktop width and at 360 px, nothing
 * scrolling sideways at 360 px, and a screenshot of each kept as a test artifact (`<name>-desktop|360.png`).
 */
export async function checkConsoleScreen(page: Page, name: string): Promise<void> {
  expect(await seriousAxeViolations(page)).toEqual([]);
  await page.screenshot({ path: join(artifactsDir, `${name}-desktop.png`), fullPage: true });
  await page.setViewportSize(phoneViewport);
  await page.screenshot({ path: join(artifactsDir, `${name}-360.png`), fullPage: true });
  const overflow = await page.evaluate(
    () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
  );
  expect(overflow).toBeLessThanOrEqual(0);
  expect(await seriousAxeViolations(page)).toEqual([]);
  await page.setViewportSize(desktopViewport);
}
