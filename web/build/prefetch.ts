// A Vite plugin that lets the respondent's page fetch SurveyJS while the respondent reads the introduction,
// without running it: respond.html names every chunk (and its CSS) behind the survey page's dynamic imports that
// the entry does not load already, and the page prefetches them once it has painted. Pressing start then
// evaluates them from the browser's cache (survey-shell.tsx), instead of downloading first.
import type { Plugin, Rolldown } from 'vite';

type OutputBundle = Rolldown.OutputBundle;
type OutputChunk = Rolldown.OutputChunk;

/** The <meta> whose content lists the survey's files (read by web/src/respondent/prefetch.ts). */
export const surveyAssetsMeta = 'svar-survey-assets';

/** Modules whose chunks the start button needs: the survey page and SurveyJS's language set-up. */
const wanted = [/\/respondent\/survey-page\.tsx$/, /\/respondent\/survey-setup\.ts$/];

function chunksOf(bundle: OutputBundle): OutputChunk[] {
  return Object.values(bundle).filter((o): o is OutputChunk => o.type === 'chunk');
}

/** Files the HTML entry loads by itself (its chunk and static imports): no need to prefetch them. */
function loadedByEntry(entry: OutputChunk, byName: Map<string, OutputChunk>): Set<string> {
  const seen = new Set<string>();
  const visit = (c: OutputChunk) => {
    if (seen.has(c.fileName)) return;
    seen.add(c.fileName);
    for (const i of c.imports) {
      const next = byName.get(i);
      if (next) visit(next);
    }
  };
  visit(entry);
  return seen;
}

export function prefetchSurvey(htmlName = 'respond.html'): Plugin {
  return {
    name: 'svar-prefetch-survey',
    apply: 'build',
    transformIndexHtml: {
      order: 'post',
      handler(_html, ctx) {
        if (!ctx.bundle || !ctx.chunk || !ctx.filename.endsWith(htmlName)) return;
        const chunks = chunksOf(ctx.bundle);
        const byName = new Map(chunks.map((c) => [c.fileName, c]));
        const already = loadedByEntry(ctx.chunk, byName);
        const files = new Set<string>();
        const visit = (c: OutputChunk) => {
          if (files.has(c.fileName) || already.has(c.fileName)) return;
          files.add(c.fileName);
          for (const css of c.viteMetadata?.importedCss ?? []) files.add(css);
          for (const i of c.imports) {
            const next = byName.get(i);
            if (next) visit(next);
          }
        };
        for (const c of chunks)
          if (c.facadeModuleId && wanted.some((w) => w.test(c.facadeModuleId!))) visit(c);
        // Named in a <meta>, not as <link rel="prefetch"> in the head: those would start at once and share the
        // phone's bandwidth with what the first paint needs; the page adds them after it has painted.
        return [
          {
            tag: 'meta',
            attrs: { name: surveyAssetsMeta, content: [...files].map((f) => `/${f}`).join(' ') },
            injectTo: 'head' as const,
          },
        ];
      },
    },
  };
}
