// What a respondent's page loads, from a build's manifest: respond.html's entry and its static imports, then the
// survey chunk it imports once the title is shown (SurveyJS) and that chunk's imports, with their CSS. Gzipped
// sizes, JS apart from CSS: the 424 KB floor (React + survey-core + survey-react-ui, stack notes) is JS only.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

type Manifest = Record<string, { file: string; imports?: string[]; css?: string[] }>;

export function respondentBundle(dist: string): { jsKb: number; cssKb: number; firstPaintKb: number } {
  const manifest = JSON.parse(readFileSync(join(dist, '.vite', 'manifest.json'), 'utf8')) as Manifest;
  const files = new Set<string>();
  const visit = (key: string) => {
    const chunk = manifest[key];
    if (!chunk || files.has(chunk.file)) return;
    files.add(chunk.file);
    for (const c of chunk.css ?? []) files.add(c);
    for (const i of chunk.imports ?? []) visit(i);
  };
  visit('respond.html');
  const gz = (f: string) => gzipSync(readFileSync(join(dist, f))).length / 1024;
  const firstPaintKb = [...files].reduce((n, f) => n + gz(f), 0);
  for (const key of Object.keys(manifest).filter((k) =>
    /respondent\/(survey-page|survey-setup)\.tsx?$/.test(k),
  ))
    visit(key);
  let jsKb = 0;
  let cssKb = 0;
  for (const f of files) {
    if (f.endsWith('.css')) cssKb += gz(f);
    else jsKb += gz(f);
  }
  return { jsKb, cssKb, firstPaintKb };
}
