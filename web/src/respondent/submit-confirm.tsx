// Before the chief executive submits while delegated sections are not done: which, who has them, and a choice.
// A modal <dialog> (role alertdialog): focus moves into it and stays there; Escape cancels.
import type { i18n } from 'i18next';
import { useEffect, useRef } from 'react';

export interface NotDone {
  title: string;
  name: string;
}

export function SubmitConfirm(props: {
  i18n: i18n;
  sections: NotDone[];
  busy: boolean;
  onConfirm: () => void;
  onCancel: () => void;
}) {
  const dialog = useRef<HTMLDialogElement>(null);
  const cancel = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    const d = dialog.current;
    if (d && !d.open) d.showModal();
    // The least harmful choice first: sending cannot be undone.
    cancel.current?.focus();
    return () => d?.close();
  }, []);
  const t = props.i18n.t.bind(props.i18n);
  return (
    <dialog
      ref={dialog}
      className="svar-dialog"
      role="alertdialog"
      aria-labelledby="svar-confirm-heading"
      aria-describedby="svar-confirm-text"
      data-testid="submit-confirm"
      onCancel={(e) => {
        e.preventDefault();
        props.onCancel();
      }}
    >
      <h2 id="svar-confirm-heading">{t('confirm.heading')}</h2>
      <p id="svar-confirm-text">{t('confirm.text')}</p>
      <ul>
        {props.sections.map((s) => (
          <li key={s.title}>{t('confirm.item', { section: s.title, name: s.name })}</li>
        ))}
      </ul>
      <div className="svar-actions">
        <button
          ref={cancel}
          type="button"
          className="svar-button svar-button-secondary"
          onClick={props.onCancel}
        >
          {t('confirm.cancel')}
        </button>
        <button type="button" className="svar-button" disabled={props.busy} onClick={props.onConfirm}>
          {t('confirm.submit')}
        </button>
      </div>
    </dialog>
  );
}
