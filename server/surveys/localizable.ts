// Finds every translatable string in a SurveyJS definition, keyed stably by question codes and value codes
// (never by position where a code exists), using survey-core's own metadata to know what is localizable.
import { Serializer } from './survey-model.ts';

export type LocalizedValue = string | Record<string, string>;

export interface LocalizableString {
  /** e.g. "survey.title", "page:b_settlement.title", "p_sat.choices.98.text", "m_grid.columns.1.text" */
  key: string;
  /** The object holding the string and the property name, to read or replace it in place. */
  holder: Record<string, unknown>;
  prop: string;
  /** JSON path for messages, e.g. "pages[2].elements[0].choices[5].text" */
  path: string;
}

type Json = Record<string, unknown>;

function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** survey-core class of an array item: the property's class, or the item's own `type` for questions/validators. */
function itemClass(prop: { className?: string; baseClassName?: string }, item: Json): string | undefined {
  if (prop.baseClassName && typeof item.type === 'string') {
    const t = item.type.toLowerCase();
    for (const candidate of [t, `${t}validator`, `${t}trigger`])
      if (Serializer.findClass(candidate)) return candidate;
    return undefined;
  }
  return prop.className;
}

function findProperty(cls: string, name: string, obj: Json) {
  const direct = Serializer.findProperty(cls, name);
  if (direct) return direct;
  // Matrix columns take the properties of their cell question (choices of a dropdown column, …).
  if (cls === 'matrixdropdowncolumn')
    return Serializer.findProperty(String(obj.cellType ?? 'dropdown'), name);
  return null;
}

function itemId(item: Json, index: number): string {
  for (const k of ['name', 'value']) {
    const v = item[k];
    if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return String(v);
  }
  return `#${index}`;
}

interface Visit {
  obj: Json;
  cls: string;
  /** The stable key prefix of this object, e.g. "p_sat" or "p_sat.choices.98". */
  keyPrefix: string;
  path: string;
}

/** Calls `onObject` for every object of the definition survey-core knows a class for, depth first. */
export function visitDefinition(definition: Json, onObject: (v: Visit) => void): void {
  const walk = (obj: Json, cls: string, keyPrefix: string, path: string) => {
    onObject({ obj, cls, keyPrefix, path });
    for (const [name, value] of Object.entries(obj)) {
      if (!Array.isArray(value)) continue;
      const prop = findProperty(cls, name, obj) as unknown as {
        className?: string;
        baseClassName?: string;
      } | null;
      if (!prop) continue;
      value.forEach((item, i) => {
        if (!isObject(item)) return;
        const childCls = itemClass(prop, item);
        if (!childCls) return;
        const childPath = `${path}.${name}[${i}]`;
        const isElement =
          prop.baseClassName === 'question' || name === 'elements' || name === 'templateElements';
        if (childCls === 'page') walk(item, 'page', `page:${itemId(item, i)}`, childPath);
        // Element names are question codes, unique across the instrument: they root their own keys.
        else if (isElement && typeof item.name === 'string') walk(item, childCls, item.name, childPath);
        else walk(item, childCls, `${keyPrefix}.${name}.${itemId(item, i)}`, childPath);
      });
    }
  };
  walk(definition, 'survey', 'survey', '$');
}

/** The property metadata survey-core has for a property of an object of a class. */
export function propertyOf(cls: string, name: string, obj: Json) {
  return findProperty(cls, name, obj) as unknown as {
    isLocalizable: boolean;
    type: string;
    className?: string;
    baseClassName?: string;
  } | null;
}

/** Every localizable string of a definition, in document order. Choices given as bare strings are not included. */
export function findLocalizableStrings(definition: Json): LocalizableString[] {
  const out: LocalizableString[] = [];
  visitDefinition(definition, ({ obj, cls, keyPrefix, path }) => {
    for (const [name, value] of Object.entries(obj)) {
      if (typeof value !== 'string' && !isObject(value)) continue;
      if (propertyOf(cls, name, obj)?.isLocalizable) {
        out.push({ key: `${keyPrefix}.${name}`, holder: obj, prop: name, path: `${path}.${name}` });
      }
    }
  });
  return out;
}

/** The text of a localized value in one locale ('default' is the source language). */
export function textIn(value: unknown, locale: string, sourceLocale: string): string | undefined {
  if (typeof value === 'string') return locale === sourceLocale || locale === 'default' ? value : undefined;
  if (!isObject(value)) return undefined;
  const v = value[locale] ?? (locale === sourceLocale ? value.default : undefined);
  return typeof v === 'string' ? v : undefined;
}

/** What a reader sees of a localized value: its text in the locale, else the source language's ('' when none). */
export function displayText(value: unknown, locale: string): string {
  if (typeof value === 'string') return value;
  if (!isObject(value)) return '';
  const v = value[locale] ?? value.default;
  return typeof v === 'string' ? v : '';
}

/** True for the path of a question or panel (an element), as opposed to a choice, validator or column. */
export function isElementPath(path: string): boolean {
  return /(elements|templateElements)\[\d+\]$/.test(path);
}
