// Which of a version's languages a wave may offer: complete ones, reviewed at least (drafts only in a pilot),
// and nynorsk whenever bokmål is offered (språklova § 14: state bodies offer forms in both at the same time).
import type { CompiledLocale } from './compile.ts';

export interface WaveLanguageProblem {
  locale: string;
  reason: string;
}

export function waveLanguageProblems(
  versionLocales: Pick<CompiledLocale, 'locale' | 'complete' | 'status'>[],
  offered: string[],
  opts: { allowDraft: boolean },
): WaveLanguageProblem[] {
  const byLocale = new Map(versionLocales.map((l) => [l.locale, l]));
  const problems: WaveLanguageProblem[] = [];
  if (offered.length === 0)
    problems.push({ locale: '(none)', reason: 'a wave offers at least one language' });
  for (const locale of offered) {
    const l = byLocale.get(locale);
    if (!l) problems.push({ locale, reason: 'the version has no such language' });
    else if (!l.complete) problems.push({ locale, reason: 'its translation is incomplete or stale' });
    else if (l.status === 'draft' && !opts.allowDraft) {
      problems.push({ locale, reason: 'its translation is only a draft (allowed in a pilot wave only)' });
    }
  }
  if (offered.includes('nb') && !offered.includes('nn')) {
    problems.push({ locale: 'nn', reason: 'bokmål and nynorsk must be offered together (språklova § 14)' });
  }
  return problems;
}
