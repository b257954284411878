// Real Chromium (Debian's) driven by playwright-core, against the real app on a loopback port.
import { createHash } from 'node:crypto';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
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

/**
 * The built web app in a private folder of the caller's (it may delete it), so tests never race a developer's
 * dist/. A build takes most of a minute on two cores and a dozen suites need one: builds are kept in
 * node_modules/.cache/svar-web by a hash of everything the bundle is made from, and each caller gets a copy.
 */
export async function buildWebInto(opts: { manifest?: boolean } = {}): Promise<string> {
  const manifest = opts.manifest ?? false;
  const hash = webSourceHash();
  const cached = join(webCacheDir, `${hash}${manifest ? '-manifest' : ''}`);
  if (!existsSync(cached)) {
    mkdirSync(webCacheDir, { recursive: true });
    // Built beside its final place (a rename across file systems fails), under the hash so pruning spares it.
    const fresh = mkdtempSync(join(webCacheDir, `${hash}.building-`));
    const { build } = await import('vite');
    await build({
      configFile: fileURLToPath(new URL('../../web/vite.config.ts', import.meta.url)),
      logLevel: 'error',
      build: { outDir: fresh, emptyOutDir: true, manifest },
    });
    // Builds of sources that have since changed are of no more use.
    for (const old of readdirSync(webCacheDir))
      if (!old.startsWith(hash)) rmSync(join(webCacheDir, old), { recursive: true, force: true });
    // Another process may have finished the same build first: its copy is as good as this one.
    try {
      renameSync(fresh, cached);
    } catch {
      rmSync(fresh, { recursive: true, force: true });
    }
  }
  const outDir = mkdtempSync(join(tmpdir(), 'svar-dist-'));
  cpSync(cached, outDir, { recursive: true });
  return outDir;
}

const projectRoot = fileURLToPath(new URL('../../', import.meta.url));
const webCacheDir = join(projectRoot, 'node_modules/.cache/svar-web');
/** What the bundle is built from: the web app, the server modules and locales it imports, the dependencies. */
const webSources = ['web', 'server', 'locales', 'package-lock.json', 'tsconfig.json'];

function webSourceHash(): string {
  const hash = createHash('sha256');
  const add = (path: string) => {
    if (statSync(path).isDirectory()) {
      for (const entry of readdirSync(path).sort()) add(join(path, entry));
    } else {
      hash.update(relative(projectRoot, path)).update('\0').update(readFileSync(path)).update('\0');
    }
  };
  for (const source of webSources) add(join(projectRoot, source));
  return hash.digest('hex').slice(0, 24);
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
