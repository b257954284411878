// Fetches SurveyJS's files into the browser's cache without running them, once the start page has painted: the
// respondent reads the introduction meanwhile, and pressing start finds them there. The build names the files
// in a <meta> (web/build/prefetch.ts); in development there is none and nothing happens.
let done = false;

export function prefetchSurveyAssets(): void {
  if (done) return;
  done = true;
  const files = document.querySelector<HTMLMetaElement>('meta[name="svar-survey-assets"]')?.content;
  for (const href of files?.split(' ').filter(Boolean) ?? []) {
    const link = document.createElement('link');
    link.rel = 'prefetch';
    link.href = href;
    if (href.endsWith('.css')) link.as = 'style';
    document.head.append(link);
  }
}
