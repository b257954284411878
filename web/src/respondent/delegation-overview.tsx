// The chief executive's overview of delegable sections: status, to whom and since when, with take back and
// delegate again; and the form that delegates. Statuses come from polling (use-sections.ts).
import type { i18n } from 'i18next';
import { useState } from 'react';
import type { Model } from 'survey-core';
import { type OfferedLocale, type SectionStatus, takeBack } from './api.ts';
import { DelegateForm } from './delegate-form.tsx';
import { formatDate } from './format.ts';
import { sectionTitle } from './survey-model.ts';

interface Props {
  i18n: i18n;
  token: string;
  model: Model;
  locales: OfferedLocale[];
  sections: SectionStatus[];
  onChanged: () => void;
}

export function DelegationOverview(props: Props) {
  const { i18n, model } = props;
  const t = i18n.t.bind(i18n);
  const [chosen, setChosen] = useState<{ sections: string[]; n: number } | null>(null);
  const [said, setSaid] = useState('');
  const [failed, setFailed] = useState(false);

  async function back(name: string) {
    setFailed(false);
    try {
      await takeBack(props.token, i18n.language, [name]);
      setSaid(t('delegation.takenBack', { section: sectionTitle(model, name) }));
      props.onChanged();
    } catch {
      setFailed(true);
    }
  }
  const choose = (name: string) => setChosen((c) => ({ sections: [name], n: (c?.n ?? 0) + 1 }));

  return (
    <section
      className="svar-panel svar-delegation"
      aria-labelledby="svar-delegation-heading"
      data-testid="delegation"
    >
      <h2 id="svar-delegation-heading">{t('delegation.heading')}</h2>
      <p>{t('delegation.intro')}</p>
      <ul className="svar-list svar-sections">
        {props.sections.map((s) => {
          const id = `svar-section-${s.name}`;
          const d = s.delegation;
          return (
            <li key={s.name} className="svar-section" data-section={s.name} data-status={s.status}>
              <div className="svar-section-info">
                <h3 id={id}>{sectionTitle(model, s.name)}</h3>
                <p>
                  <span className={`svar-status svar-status-${s.status}`}>
                    {t(`delegation.status.${s.status}`)}
                  </span>{' '}
                  {t('delegation.answered', { answered: s.answered, questions: s.questions })}
                </p>
                {d && (
                  <p className="svar-delegated">
                    {t('delegation.delegatedTo', { name: d.name || t('delegation.colleague') })}
                    {d.email && (
                      <>
                        {' '}
                        (<bdi>{d.email}</bdi>)
                      </>
                    )}
                    <br />
                    {t('delegation.delegatedAt', { date: formatDate(d.delegatedAt, i18n.language) })}
                    {d.doneAt && (
                      <>
                        <br />
                        {t('delegation.doneAt', { date: formatDate(d.doneAt, i18n.language) })}
                      </>
                    )}
                  </p>
                )}
              </div>
              <div className="svar-actions">
                {d && (
                  <button
                    type="button"
                    className="svar-button svar-button-secondary"
                    aria-describedby={id}
                    onClick={() => void back(s.name)}
                  >
                    {t('delegation.takeBack')}
                  </button>
                )}
                {(d || s.status !== 'done') && (
                  <button
                    type="button"
                    className="svar-button svar-button-secondary"
                    aria-describedby={id}
                    onClick={() => choose(s.name)}
                  >
                    {d ? t('delegation.redelegate') : t('delegation.delegate')}
                  </button>
                )}
              </div>
            </li>
          );
        })}
      </ul>
      <p role="status" className="svar-said">
        {said}
      </p>
      {failed && (
        <p className="svar-error" role="alert">
          {t('delegation.failed')}
        </p>
      )}
      <DelegateForm
        i18n={i18n}
        token={props.token}
        model={model}
        locales={props.locales}
        sections={props.sections}
        chosen={chosen}
        onDelegated={props.onChanged}
      />
    </section>
  );
}
