// Answers someone else changed first (409 answer_conflict, ADR 5): for each question, this person's answer and
// the stored one, who saved it, and a choice between them. Until chosen, the answer waits in the outbox.
import type { i18n } from 'i18next';
import { useEffect, useRef } from 'react';
import type { Model } from 'survey-core';
import type { AnswerConflict, Role } from './api.ts';
import { formatDate } from './format.ts';
import { displayValue } from './survey-model.ts';

interface Props {
  i18n: i18n;
  model: Model;
  conflicts: AnswerConflict[];
  me: { role: Role; delegateId: string | null };
  onKeepMine: (c: AnswerConflict) => void;
  onUseTheirs: (c: AnswerConflict) => void;
}

export function ConflictNotice({ i18n, model, conflicts, me, onKeepMine, onUseTheirs }: Props) {
  const box = useRef<HTMLElement>(null);
  const count = conflicts.length;
  const shown = useRef(0);
  useEffect(() => {
    // A new conflict may arrive while the person is far down the page: bring it into view.
    if (count > shown.current) box.current?.scrollIntoView({ block: 'nearest' });
    shown.current = count;
  }, [count]);
  if (!count) return null;
  const t = i18n.t.bind(i18n);
  const empty = t('conflict.empty');
  return (
    <section
      ref={box}
      className="svar-panel svar-conflicts"
      role="alert"
      aria-labelledby="svar-conflicts-heading"
      data-testid="conflicts"
    >
      <h2 id="svar-conflicts-heading">{t('conflict.heading')}</h2>
      <p>{t('conflict.intro')}</p>
      <ul className="svar-list">
        {conflicts.map((c) => {
          const id = `svar-conflict-${c.code}`;
          return (
            <li key={c.code} data-code={c.code}>
              <h3 id={id}>{questionTitle(i18n, model, c.code)}</h3>
              <dl className="svar-values">
                <dt>{t('conflict.yours')}</dt>
                <dd>{displayValue(model, c.code, model.getValue(c.code), empty)}</dd>
                <dt>
                  {whoSaved(i18n, c, me)}, {formatDate(c.at, i18n.language)}
                </dt>
                <dd>{displayValue(model, c.code, c.value, empty)}</dd>
              </dl>
              <div className="svar-actions">
                <button
                  type="button"
                  className="svar-button"
                  aria-describedby={id}
                  onClick={() => onKeepMine(c)}
                >
                  {t('conflict.keepMine')}
                </button>
                <button
                  type="button"
                  className="svar-button svar-button-secondary"
                  aria-describedby={id}
                  onClick={() => onUseTheirs(c)}
                >
                  {t('conflict.useTheirs')}
                </button>
              </div>
            </li>
          );
        })}
      </ul>
    </section>
  );
}

function questionTitle(i18n: i18n, model: Model, code: string) {
  const comment = code.endsWith('-Comment');
  const question = model.getQuestionByValueName(comment ? code.slice(0, -'-Comment'.length) : code);
  const title = question?.title || code;
  return comment ? i18n.t('conflict.comment', { title }) : title;
}

function whoSaved(i18n: i18n, c: AnswerConflict, me: Props['me']) {
  const self =
    c.byRole === me.role && (c.byRole !== 'delegate' || c.by === `delegate:${me.delegateId ?? ''}`);
  if (self) return i18n.t('conflict.theirs.self');
  if (c.byRole === 'chief_executive') return i18n.t('conflict.theirs.chief_executive');
  if (c.byName) return i18n.t('conflict.theirs.delegateNamed', { name: c.byName });
  return i18n.t('conflict.theirs.delegate');
}
