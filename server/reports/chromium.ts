// Debian's Chromium, as every part of Svar that drives it finds and starts it: the PDF printer, the browser tests
// and the Lighthouse benchmark. Playwright's own browser downloads are not used (no network in production).
import { existsSync } from 'node:fs';

/** Debian's and Ubuntu's paths. */
export const chromiumCandidates = ['/usr/bin/chromium', '/usr/bin/chromium-browser'];

export function chromiumExecutable(): string | null {
  return chromiumCandidates.find((p) => existsSync(p)) ?? null;
}

/** No sandbox (containers run as root) and no network chatter; each caller adds its own `--headless` flavour. */
export const chromiumFlags = [
  '--no-sandbox',
  '--disable-gpu',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
