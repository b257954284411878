// Delegating sections to a colleague: which sections, name, e-mail, language, an optional message. Opened from
// the overview (with a section chosen) or by its own button; on success the link is shown once.
import type { i18n } from 'i18next';
import { type FormEvent, useEffect, useId, useRef, useState } from 'react';
import type { Model } from 'survey-core';
import { ApiProblem, delegate, type OfferedLocale, type Problem, type SectionStatus } from './api.ts';
import { DelegatedLink } from './delegated-link.tsx';
import { sectionTitle } from './survey-model.ts';

interface Props {
  i18n: i18n;
  token: string;
  model: Model;
  locales: OfferedLocale[];
  sections: SectionStatus[];
  /** Sections chosen in the overview; `n` changes with every choice, so choosing the same one again reopens. */
  chosen: { sections: string[]; n: number } | null;
  onDelegated: () => void;
}

type Field = 'sections' | 'name' | 'email';
const emailPattern = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export function DelegateForm(props: Props) {
  const { i18n, model } = props;
  const t = i18n.t.bind(i18n);
  const id = useId();
  const [open, setOpen] = useState(false);
  const [picked, setPicked] = useState<string[]>([]);
  const [name, setName] = useState('');
  const [email, setEmail] = useState('');
  const [locale, setLocale] = useState(i18n.language);
  const [message, setMessage] = useState('');
  const [errors, setErrors] = useState<Partial<Record<Field, string>>>({});
  const [failed, setFailed] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [issued, setIssued] = useState<{ link: string; name: string; email: string; mailed: boolean } | null>(
    null,
  );
  const heading = useRef<HTMLHeadingElement>(null);
  const opener = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    if (!props.chosen) return;
    setPicked(props.chosen.sections);
    setOpen(true);
    setIssued(null);
    // After the form has rendered: take the person to it.
    requestAnimationFrame(() => heading.current?.focus());
  }, [props.chosen]);

  const available = props.sections.filter((s) => s.status !== 'done' || picked.includes(s.name));

  function check(): Partial<Record<Field, string>> {
    return {
      ...(picked.length === 0 ? { sections: t('form.noSections') } : {}),
      ...(name.trim() === '' ? { name: t('form.noName') } : {}),
      ...(!emailPattern.test(email.trim()) ? { email: t('form.badEmail') } : {}),
    };
  }

  async function send(e: FormEvent) {
    e.preventDefault();
    const found = check();
    setErrors(found);
    setFailed(null);
    const first = (['sections', 'name', 'email'] as const).find((f) => found[f]);
    if (first) {
      document.getElementById(`${id}-${first}`)?.focus();
      return;
    }
    setBusy(true);
    try {
      const result = await delegate(props.token, i18n.language, {
        sections: picked,
        name: name.trim(),
        email: email.trim(),
        locale,
        ...(message.trim() ? { message: message.trim() } : {}),
      });
      setIssued({ link: result.link, name: name.trim(), email: email.trim(), mailed: result.mailed });
      setOpen(false);
      setPicked([]);
      setName('');
      setEmail('');
      setMessage('');
      props.onDelegated();
    } catch (err) {
      const problem = err instanceof ApiProblem ? err.problem : null;
      if (problem?.code === 'validation_failed' && mark(problem)) return;
      // Too many links today: the server says so in the page's language.
      setFailed(problem?.status === 429 ? problem.detail : t('form.failed'));
    } finally {
      setBusy(false);
    }
  }

  /** The server's word on a field, where it names one of ours. */
  function mark(problem: Problem) {
    const named = (problem.invalid_params ?? []).map((p) => p.name);
    const found: Partial<Record<Field, string>> = {};
    if (named.includes('email')) found.email = t('form.badEmail');
    if (named.includes('name')) found.name = t('form.noName');
    if (named.some((n) => n.startsWith('sections'))) found.sections = t('form.noSections');
    setErrors(found);
    return Object.keys(found).length > 0;
  }

  const toggle = (section: string, on: boolean) =>
    setPicked((p) => (on ? [...p, section] : p.filter((s) => s !== section)));
  // aria-invalid belongs on the inputs; the group of sections only points to its message.
  const described = (f: Field) =>
    errors[f]
      ? { ...(f === 'sections' ? {} : { 'aria-invalid': true }), 'aria-describedby': `${id}-${f}-error` }
      : {};
  const error = (f: Field) =>
    errors[f] && (
      <p id={`${id}-${f}-error`} className="svar-field-error">
        {errors[f]}
      </p>
    );

  return (
    <div className="svar-delegate-form">
      {issued && (
        <DelegatedLink
          i18n={i18n}
          {...issued}
          onClose={() => {
            setIssued(null);
            requestAnimationFrame(() => opener.current?.focus());
          }}
        />
      )}
      {!open && (
        <button
          ref={opener}
          type="button"
          className="svar-button"
          onClick={() => {
            setOpen(true);
            requestAnimationFrame(() => heading.current?.focus());
          }}
        >
          {t('form.open')}
        </button>
      )}
      {open && (
        <form
          noValidate
          onSubmit={(e) => void send(e)}
          aria-labelledby={`${id}-heading`}
          data-testid="delegate-form"
        >
          <h3 id={`${id}-heading`} ref={heading} tabIndex={-1}>
            {t('form.heading')}
          </h3>
          <fieldset id={`${id}-sections`} tabIndex={-1} {...described('sections')}>
            <legend>{t('form.sections')}</legend>
            {error('sections')}
            {available.map((s) => (
              <div key={s.name} className="svar-check">
                <input
                  type="checkbox"
                  id={`${id}-s-${s.name}`}
                  value={s.name}
                  checked={picked.includes(s.name)}
                  onChange={(e) => toggle(s.name, e.target.checked)}
                />
                <label htmlFor={`${id}-s-${s.name}`}>
                  {sectionTitle(model, s.name)}
                  {s.delegation && (
                    <span className="svar-hint">
                      {' '}
                      ({t('form.currentlyTo', { name: s.delegation.name || t('delegation.colleague') })})
                    </span>
                  )}
                </label>
              </div>
            ))}
          </fieldset>
          <div className="svar-field">
            <label htmlFor={`${id}-name`}>{t('form.name')}</label>
            {error('name')}
            <input
              id={`${id}-name`}
              name="name"
              autoComplete="off"
              value={name}
              onChange={(e) => setName(e.target.value)}
              {...described('name')}
            />
          </div>
          <div className="svar-field">
            <label htmlFor={`${id}-email`}>{t('form.email')}</label>
            {error('email')}
            <input
              id={`${id}-email`}
              name="email"
              type="email"
              dir="ltr"
              autoComplete="off"
              value={email}
              onChange={(e) => setEmail(e.target.value)}
              {...described('email')}
            />
          </div>
          <div className="svar-field">
            <label htmlFor={`${id}-locale`}>{t('form.language')}</label>
            <select
              id={`${id}-locale`}
              name="locale"
              value={locale}
              onChange={(e) => setLocale(e.target.value)}
            >
              {props.locales.map((l) => (
                <option key={l.locale} value={l.locale} lang={l.locale} dir={l.dir}>
                  {l.name}
                </option>
              ))}
            </select>
          </div>
          <div className="svar-field">
            <label htmlFor={`${id}-message`}>{t('form.message')}</label>
            <textarea
              id={`${id}-message`}
              name="message"
              rows={3}
              maxLength={2000}
              value={message}
              onChange={(e) => setMessage(e.target.value)}
            />
          </div>
          {failed && (
            <p className="svar-error" role="alert">
              {failed}
            </p>
          )}
          <div className="svar-actions">
            <button type="submit" className="svar-button" disabled={busy}>
              {t('form.submit')}
            </button>
            <button
              type="button"
              className="svar-button svar-button-secondary"
              onClick={() => {
                setOpen(false);
                requestAnimationFrame(() => opener.current?.focus());
              }}
            >
              {t('form.cancel')}
            </button>
          </div>
        </form>
      )}
    </div>
  );
}
