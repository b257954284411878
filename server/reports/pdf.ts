// Prints report HTML to PDF in Debian's Chromium through playwright-core: the page's own print stylesheet
// decides the layout, so the PDF is the page a person would print. Missing Chromium is a 503, said plainly.
import { type Browser, chromium } from 'playwright-core';
import { AppError } from '../http/errors.ts';
import { chromiumCandidates, chromiumExecutable, chromiumFlags } from './chromium.ts';

export class PdfUnavailableError extends AppError {
  constructor(detail: string) {
    super(503, 'pdf_unavailable', `PDF printing is unavailable: ${detail}`);
  }
}

export interface PdfPrinter {
  print(html: string): Promise<Buffer>;
  close(): Promise<void>;
}

/** One browser for many pages (`--all`); each page is printed in a fresh tab and closed. */
export async function openPdfPrinter(): Promise<PdfPrinter> {
  const executablePath = chromiumExecutable();
  if (!executablePath)
    throw new PdfUnavailableError(
      `Chromium was not found at ${chromiumCandidates.join(' or ')} (Debian: apt-get install chromium).`,
    );
  let browser: Browser;
  try {
    browser = await chromium.launch({
      executablePath,
      headless: true,
      args: ['--headless', ...chromiumFlags],
    });
  } catch (err) {
    throw new PdfUnavailableError(`Chromium did not start (${(err as Error).message.split('\n')[0]}).`);
  }
  return {
    async print(html) {
      const page = await browser.newPage();
      try {
        // The page is standalone (no scripts, no external files): nothing to wait for beyond the markup.
        await page.setContent(html, { waitUntil: 'load' });
        return await page.pdf({
          format: 'A4',
          printBackground: true,
          preferCSSPageSize: true,
          displayHeaderFooter: true,
          headerTemplate: '<span></span>',
          footerTemplate:
            '<div style="font-size:8px;width:100%;text-align:center;color:#4a4a4a">' +
            '<span class="pageNumber"></span> / <span class="totalPages"></span></div>',
          tagged: true,
          outline: true,
        });
      } finally {
        await page.close();
      }
    },
    close: () => browser.close(),
  };
}

/** Prints one page, starting and stopping the browser around it. */
export async function printPdf(html: string): Promise<Buffer> {
  const printer = await openPdfPrinter();
  try {
    return await printer.print(html);
  } finally {
    await printer.close();
  }
}
