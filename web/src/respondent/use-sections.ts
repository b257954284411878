// Section statuses of a municipal response, kept fresh while the page is in view: every ~10 s when visible and
// at once on focus, so the chief executive sees delegates start and finish without reloading.
import { useCallback, useEffect, useRef, useState } from 'react';
import type { Model } from 'survey-core';
import { ApiProblem, loadAnswers, loadSections, type SectionStatus } from './api.ts';
import type { Autosave } from './autosave.ts';
import { applyDelegation, delegatedSections, sectionCodes, setQuietly } from './survey-model.ts';

const pollMs = 10_000;

export function useSections(opts: {
  token: string;
  initial: SectionStatus[] | null;
  locale: () => string;
  poll: boolean;
  /** The response was submitted meanwhile (on another device): the page must reload. */
  onSubmitted: () => void;
}) {
  const { token, initial, poll } = opts;
  const [sections, setSections] = useState(initial);
  const latest = useRef(opts);
  latest.current = opts;
  useEffect(() => setSections(initial), [initial]);

  const refresh = useCallback(async () => {
    try {
      const result = await loadSections(token, latest.current.locale());
      if (result.readOnly) latest.current.onSubmitted();
      else setSections(result.sections);
    } catch (err) {
      if (err instanceof ApiProblem && err.problem.code === 'response_completed')
        latest.current.onSubmitted();
      // Otherwise (offline, a hiccup): keep what is shown and try again at the next tick.
    }
  }, [token]);

  useEffect(() => {
    if (!poll) return;
    const visible = () => document.visibilityState === 'visible';
    const timer = setInterval(() => visible() && void refresh(), pollMs);
    const onFocus = () => void refresh();
    const onVisibility = () => visible() && void refresh();
    window.addEventListener('focus', onFocus);
    document.addEventListener('visibilitychange', onVisibility);
    return () => {
      clearInterval(timer);
      window.removeEventListener('focus', onFocus);
      document.removeEventListener('visibilitychange', onVisibility);
    };
  }, [poll, refresh]);

  return { sections, setSections, refresh };
}

/**
 * The chief executive's view of delegated sections: their pages read-only, their answers as the delegates save
 * them (set quietly: refreshed values are never saved back).
 */
export function useDelegatedPages(opts: {
  token: string;
  model: Model;
  autosave: Autosave;
  sections: SectionStatus[] | null;
  locale: () => string;
  enabled: boolean;
}) {
  const { token, model, autosave, sections, enabled } = opts;
  const locale = useRef(opts.locale);
  locale.current = opts.locale;
  useEffect(() => {
    if (!enabled) return;
    applyDelegation(model, sections);
    const pending = autosave.pendingAnswers();
    const codes = delegatedSections(sections)
      .flatMap((s) => sectionCodes(model, s.name))
      .filter((c) => !(c in pending));
    if (codes.length === 0) return;
    let live = true;
    loadAnswers(token, locale.current(), codes)
      .then((result) => {
        if (!live) return;
        autosave.see(result.revs);
        setQuietly(model, Object.fromEntries(codes.map((c) => [c, result.answers[c]])));
      })
      .catch(() => {
        // The next poll tries again.
      });
    return () => {
      live = false;
    };
  }, [token, model, autosave, sections, enabled]);
}
