// Numbers, shares and dates as the reader's console language writes them.
import { useTranslation } from 'react-i18next';

const locales: Record<string, string> = { nb: 'nb-NO', nn: 'nn-NO', en: 'en-GB' };

export function useFormat() {
  const { i18n } = useTranslation('console-fieldwork');
  const tag = locales[i18n.language] ?? 'nb-NO';
  const number = new Intl.NumberFormat(tag);
  const percent = new Intl.NumberFormat(tag, { style: 'percent', maximumFractionDigits: 1 });
  const date = new Intl.DateTimeFormat(tag, { dateStyle: 'medium' });
  const dateTime = new Intl.DateTimeFormat(tag, { dateStyle: 'medium', timeStyle: 'short' });
  return {
    number: (n: number | null | undefined) => (n === null || n === undefined ? '' : number.format(n)),
    percent: (n: number | null | undefined) => (n === null || n === undefined ? '' : percent.format(n)),
    date: (d: string | null | undefined) => (d ? date.format(new Date(d)) : ''),
    dateTime: (d: string | null | undefined) => (d ? dateTime.format(new Date(d)) : ''),
  };
}
