// Completing the survey: everything saved first, then the server judges the whole response. For the chief
// executive, delegated sections not yet done need a confirmation (asked here first, or by the server's 409).
import type { i18n } from 'i18next';
import { useEffect, useRef, useState } from 'react';
import type { Model } from 'survey-core';
import { ApiProblem, type SectionStatus, submit } from './api.ts';
import type { Autosave } from './autosave.ts';
import type { NotDone } from './submit-confirm.tsx';
import { sectionTitle } from './survey-model.ts';

export function useCompletion(opts: {
  i18n: i18n;
  token: string;
  model: Model;
  autosave: Autosave;
  enabled: boolean;
  locale: () => string;
  sections: SectionStatus[] | null;
  onDone: () => void;
}) {
  const { i18n, token, model, autosave, enabled, onDone } = opts;
  const [error, setError] = useState<string | null>(null);
  const [confirm, setConfirm] = useState<NotDone[] | null>(null);
  const [busy, setBusy] = useState(false);
  const latest = useRef(opts);
  latest.current = opts;
  const submitted = useRef(false);

  const notDone = (list: { name: string; delegateName?: string | null }[]): NotDone[] =>
    list.map((s) => ({
      title: sectionTitle(model, s.name),
      name: s.delegateName || i18n.t('delegation.colleague'),
    }));

  async function complete(confirmed: boolean) {
    setError(null);
    if (!(await autosave.flush())) {
      setError(i18n.t(autosave.hasConflicts() ? 'submit.conflicts' : 'submit.failed'));
      return;
    }
    const open = (latest.current.sections ?? []).filter((s) => s.delegation && s.status !== 'done');
    if (!confirmed && open.length) {
      setConfirm(notDone(open.map((s) => ({ name: s.name, delegateName: s.delegation?.name }))));
      return;
    }
    setBusy(true);
    try {
      await submit(token, latest.current.locale(), confirmed);
      submitted.current = true;
      setConfirm(null);
      autosave.forget();
      model.doComplete();
    } catch (err) {
      const problem = err instanceof ApiProblem ? err.problem : null;
      if (problem?.code === 'response_completed') onDone();
      else if (problem?.code === 'sections_not_done')
        setConfirm(notDone((problem.sections ?? []) as { name: string; delegateName?: string | null }[]));
      else {
        setConfirm(null);
        setError(i18n.t(problem?.code === 'missing_answers' ? 'submit.missing' : 'submit.failed'));
      }
    } finally {
      setBusy(false);
    }
  }
  const run = useRef(complete);
  run.current = complete;

  useEffect(() => {
    if (!enabled) return;
    // survey-core has validated the pages the person can change (read-only pages are skipped); the server
    // validates the whole response.
    const onCompleting = (_: Model, o: { allow: boolean }) => {
      if (submitted.current) return;
      o.allow = false;
      void run.current(false);
    };
    model.onCompleting.add(onCompleting);
    model.onComplete.add(onDone);
    return () => {
      model.onCompleting.remove(onCompleting);
      model.onComplete.remove(onDone);
    };
  }, [model, enabled, onDone]);

  return {
    error,
    confirm,
    busy,
    confirmSubmit: () => void run.current(true),
    cancel: () => setConfirm(null),
  };
}
