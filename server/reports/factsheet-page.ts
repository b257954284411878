// The standalone HTML shell of every report page: one inline stylesheet for screen and print (the PDF is the
// print view), no scripts and no external references, so a saved or mailed page shows the same anywhere.

export function escapeHtml(text: string): string {
  return text.replace(
    /[&<>"']/g,
    (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch]!,
  );
}

/** A tagged template that escapes every interpolated value unless it is already `Html`. */
export class Html {
  constructor(readonly value: string) {}
  toString() {
    return this.value;
  }
}

type Part = string | number | Html | null | undefined | false | Part[];

function partToString(part: Part): string {
  if (part === null || part === undefined || part === false) return '';
  if (Array.isArray(part)) return part.map(partToString).join('');
  if (part instanceof Html) return part.value;
  return escapeHtml(String(part));
}

export function html(strings: TemplateStringsArray, ...parts: Part[]): Html {
  return new Html(
    strings.reduce((out, s, i) => out + s + (i < parts.length ? partToString(parts[i]!) : ''), ''),
  );
}

export const raw = (markup: string) => new Html(markup);

// Contrast: body text #1a1a1a and notes #4a4a4a on white (≥ 8:1), the banner's #5c0f0f on #fdecea (≥ 9:1).
const styles = `
:root { color: #1a1a1a; background: #fff; font-family: 'DejaVu Sans', 'Liberation Sans', Arial, sans-serif;
  font-size: 15px; line-height: 1.45; }
body { margin: 0 auto; max-width: 60rem; padding: 1.5rem; }
h1 { font-size: 1.9rem; margin: 0.2rem 0 0.6rem; }
h2 { font-size: 1.35rem; margin: 2rem 0 0.6rem; border-bottom: 2px solid #1b3a6b; padding-bottom: 0.2rem; }
h3 { font-size: 1.05rem; margin: 1.4rem 0 0.4rem; }
.kicker { text-transform: uppercase; letter-spacing: 0.06em; font-size: 0.8rem; font-weight: bold; margin: 0; color: #1b3a6b; }
.lead { font-size: 1.05rem; }
.note, figcaption, footer { color: #4a4a4a; font-size: 0.88rem; }
.banner { background: #fdecea; color: #5c0f0f; border: 2px solid #5c0f0f; padding: 0.6rem 0.8rem; font-weight: bold; }
table { border-collapse: collapse; margin: 0.4rem 0 0.8rem; font-size: 0.9rem; }
caption { text-align: left; font-weight: bold; padding-bottom: 0.3rem; }
th, td { border-bottom: 1px solid #c8c8c8; padding: 0.25rem 0.6rem; vertical-align: top; }
th { text-align: left; font-weight: 600; }
td { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
thead th { border-bottom: 2px solid #595959; }
tr.total th, tr.total td { border-top: 2px solid #595959; }
.ci { color: #4a4a4a; font-size: 0.82rem; }
.hidden-figure { font-style: italic; }
figure { margin: 0.4rem 0; }
.chart svg { max-width: 100%; height: auto; }
.wide { overflow-x: auto; max-width: 100%; }
.question { break-inside: avoid; page-break-inside: avoid; }
.sr-only { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
nav ul { columns: 2; padding-left: 1.2rem; }
a { color: #1b3a6b; }
@page { size: A4; margin: 14mm 12mm 16mm; }
@media print {
  :root { font-size: 11.5px; }
  body { max-width: none; padding: 0; }
  nav { display: none; }
  .wide { overflow: visible; }
  h2 { break-after: avoid; page-break-after: avoid; }
  .banner { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
}
`;

export function page(opts: { lang: string; title: string; body: Html }): string {
  return `<!doctype html>
<html lang="${escapeHtml(opts.lang)}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(opts.title)}</title>
<style>${styles}</style>
</head>
<body>
${opts.body.value}
</body>
</html>
`;
}
