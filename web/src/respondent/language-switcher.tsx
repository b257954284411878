// The language switcher: every offered language written in itself, marked with its own lang and dir.
import type { i18n } from 'i18next';
import type { OfferedLocale } from './api.ts';

export function LanguageSwitcher(props: {
  i18n: i18n;
  locales: OfferedLocale[];
  value: string;
  onChange: (l: string) => void;
  /** While the survey is still loading: shown in its place, not yet usable. */
  disabled?: boolean;
}) {
  if (props.locales.length < 2) return null;
  return (
    <div className="svar-language">
      <label htmlFor="svar-language">{props.i18n.t('language.label')}</label>
      <select
        id="svar-language"
        value={props.value}
        disabled={props.disabled}
        onChange={(e) => props.onChange(e.target.value)}
      >
        {props.locales.map((l) => (
          <option key={l.locale} value={l.locale} lang={l.locale} dir={l.dir}>
            {l.name}
          </option>
        ))}
      </select>
    </div>
  );
}
