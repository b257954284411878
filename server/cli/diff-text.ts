// How `svar surveys diff` prints a question's changes.
import type { FieldChange } from '../surveys/diff.ts';

/**
 * A question's changes a line each. A text changed in the source language is shown there, with the other languages
 * it changed in named: a year made explicit in 14 languages is one change to read, not 14 (`--all-languages`).
 */
export function fieldChangeLines(changes: FieldChange[], sourceLocale: string | null): string[] {
  const line = (f: FieldChange) =>
    `    ${f.field}${f.locale ? ` [${f.locale}]` : ''}${f.value !== undefined ? ` (${f.value})` : ''}: ` +
    `${JSON.stringify(f.from)} → ${JSON.stringify(f.to)}`;
  if (sourceLocale === null) return changes.map(line);
  const keyOf = (f: FieldChange) => `${f.field}\0${f.value ?? ''}`;
  const inSource = new Set(changes.filter((f) => f.locale === sourceLocale).map(keyOf));
  const folded = (f: FieldChange) => !!f.locale && f.locale !== sourceLocale && inSource.has(keyOf(f));
  return changes.flatMap((f) => {
    if (folded(f)) return [];
    const others = f.locale === sourceLocale ? changes.filter((o) => folded(o) && keyOf(o) === keyOf(f)) : [];
    const also = others.map((o) => o.locale).join(', ');
    return others.length ? [line(f), `      and in ${others.length} more language(s): ${also}`] : [line(f)];
  });
}
