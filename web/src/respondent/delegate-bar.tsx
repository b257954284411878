// What a delegate sees besides the questions: which sections it answers (on whose behalf), and "I am done"
// in place of submitting, which it can undo until the chief executive submits.
import type { i18n } from 'i18next';
import { useState } from 'react';
import type { Model } from 'survey-core';
import { markDone, type SectionStatus } from './api.ts';
import type { Autosave } from './autosave.ts';
import { formatList } from './format.ts';
import { sectionTitle } from './survey-model.ts';

export function DelegateIntro(props: {
  i18n: i18n;
  model: Model;
  sections: SectionStatus[];
  municipality?: string | null;
}) {
  const { i18n, model } = props;
  const sections = formatList(
    props.sections.map((s) => sectionTitle(model, s.name)),
    i18n.language,
  );
  return (
    <p className="svar-panel svar-intro" data-testid="delegate-intro">
      {props.municipality
        ? i18n.t('delegate.intro', { municipality: props.municipality, sections })
        : i18n.t('delegate.introSections', { sections })}
    </p>
  );
}

export function DelegateDone(props: {
  i18n: i18n;
  token: string;
  autosave: Autosave;
  sections: SectionStatus[];
  onSections: (s: SectionStatus[]) => void;
}) {
  const { i18n } = props;
  const [busy, setBusy] = useState(false);
  const [failed, setFailed] = useState(false);
  const done = props.sections.length > 0 && props.sections.every((s) => s.status === 'done');

  async function mark(toDone: boolean) {
    setBusy(true);
    setFailed(false);
    try {
      // Everything typed must be on the server before the chief executive is told it is done.
      if (toDone && !(await props.autosave.flush())) throw new Error('not saved');
      const result = await markDone(
        props.token,
        i18n.language,
        props.sections.map((s) => s.name),
        toDone,
      );
      props.onSections(result.sections);
    } catch {
      setFailed(true);
    } finally {
      setBusy(false);
    }
  }

  return (
    <section className="svar-panel svar-done" aria-labelledby="svar-done-heading" data-testid="delegate-done">
      <h2 id="svar-done-heading">{i18n.t('delegate.heading')}</h2>
      <p role="status">{done ? i18n.t('delegate.doneStatus') : i18n.t('delegate.hint')}</p>
      {failed && <p role="alert">{i18n.t('delegate.failed')}</p>}
      <button type="button" className="svar-button" disabled={busy} onClick={() => void mark(!done)}>
        {done ? i18n.t('delegate.reopen') : i18n.t('delegate.done')}
      </button>
    </section>
  );
}
