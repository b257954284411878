// `svar surveys import`: brings a SurveyJS definition written elsewhere into Svar's source layout: the source
// language stays in the module, every other language goes to the translation files (as drafts). What Svar cannot
// take is reported precisely and the import refused, never silently dropped. Names that are not usable codes get
// one (import-codes.ts) and every reference follows (import-rewrite.ts); the author's custom properties are kept.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Model } from 'survey-core';
import { ValidationError } from '../http/errors.ts';
import { checkExpression, knownVariables } from './check.ts';
import { assignCodes, type CodeChange } from './import-codes.ts';
import { type CustomProperties, unknownPropertyOf } from './import-properties.ts';
import { rewriteReferences } from './import-rewrite.ts';
import { findLocalizableStrings, isElementPath, propertyOf, visitDefinition } from './localizable.ts';
import { sourceHash, type TranslationFile, writeTranslations } from './translations.ts';
import './survey-model.ts';

type Json = Record<string, unknown>;

export interface ImportProblem {
  location: string;
  code: string;
  message: string;
}

export interface ImportResult {
  instrumentId: string;
  sourceLocale: string;
  targetLocales: string[];
  questions: number;
  strings: number;
  translations: Record<string, number>;
  files: string[];
  /** Every name that got a new code, with the name as written; the codebook keeps it as `sourceName`. */
  codes: CodeChange[];
  /** Properties survey-core does not know, kept in the source: class → property names. */
  customProperties: CustomProperties;
}

export class ImportRefused extends ValidationError {
  constructor(
    readonly problems: ImportProblem[],
    file: string,
  ) {
    super(
      `${file} cannot be imported: ${problems.length} problem(s); nothing was written`,
      problems.map((p) => ({ name: p.location, reason: `${p.code}: ${p.message}` })),
      'import_refused',
    );
  }
}

const valueLists = new Set(['itemvalue', 'choiceitem', 'ratingitem', 'matrixcolumn']);
const noValueTypes = new Set(['html', 'image', 'panel', 'flowpanel']);

function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** SurveyJS accepts questions at the top level or in pages; Svar always has pages with names. */
function normalisePages(json: Json, problems: ImportProblem[]): Json[] {
  const pages = Array.isArray(json.pages)
    ? (json.pages as Json[])
    : Array.isArray(json.elements) || Array.isArray(json.questions)
      ? [{ name: 'page1', elements: (json.elements ?? json.questions) as Json[] }]
      : [];
  if (pages.length === 0)
    problems.push({ location: '$', code: 'no_pages', message: 'the definition has no pages or elements' });
  return pages.map((p, i) => {
    if (!isObject(p)) return { name: `page${i + 1}`, elements: [] };
    const { questions, ...rest } = p;
    return {
      ...rest,
      name: typeof p.name === 'string' && p.name ? p.name : `page${i + 1}`,
      elements: p.elements ?? questions ?? [],
    };
  });
}

/** Bare strings and numbers in choice lists become { value, text } items, so each can carry translations. */
function normaliseValueLists(definition: Json): void {
  visitDefinition(definition, ({ obj, cls }) => {
    for (const [name, value] of Object.entries(obj)) {
      if (!Array.isArray(value)) continue;
      const meta = propertyOf(cls, name, obj);
      if (!meta?.className || !valueLists.has(meta.className)) continue;
      obj[name] = value.map((item) => {
        if (isObject(item)) return item;
        // SurveyJS's "value|text" shorthand.
        if (typeof item === 'string' && item.includes('|')) {
          const [v, ...text] = item.split('|');
          return { value: v, text: text.join('|') };
        }
        return { value: item };
      });
    }
  });
}

/** Where the first object carrying an unknown property is, for survey-core messages that name no question. */
function locateUnknownProperty(definition: Json, message: string): string {
  const m = message.match(/class '([^']+)': '([^']+)'/);
  if (!m) return '$';
  let found = '$';
  visitDefinition(definition, ({ obj, cls, path }) => {
    if (found === '$' && cls === m[1] && m[2]! in obj) found = `${path}.${m[2]}`;
  });
  return found;
}

/** Where survey-core's errors are, with custom properties set apart: those are kept, not refused. */
function findProblems(definition: Json, customProperties: CustomProperties): ImportProblem[] {
  const problems: ImportProblem[] = [];
  const model = new Model(definition);
  const reported = new Map<string, ImportProblem>();
  for (const e of (model.jsonErrors ?? []) as { message: string; element?: { name?: string } }[]) {
    const custom = unknownPropertyOf(e.message);
    if (custom) {
      const list = customProperties[custom.cls] ?? [];
      if (!list.includes(custom.property)) customProperties[custom.cls] = [...list, custom.property];
      continue;
    }
    const earlier = reported.get(e.message);
    if (earlier) {
      earlier.message = earlier.message.replace(
        /( \((\d+) times\))?$/,
        (_m, _g, n) => ` (${Number(n ?? 1) + 1} times)`,
      );
      continue;
    }
    const p = {
      location: e.element?.name ?? locateUnknownProperty(definition, e.message),
      code: 'surveyjs_error',
      message: e.message,
    };
    reported.set(e.message, p);
    problems.push(p);
  }
  // What survey-core would only find at publish: a question nobody can name, an expression that cannot work.
  const known = knownVariables(definition);
  visitDefinition(definition, ({ obj, cls, path }) => {
    if (typeof obj.type === 'string' && isElementPath(path) && !obj.name) {
      problems.push({
        location: path,
        code: 'missing_name',
        message: `a ${obj.type} question has no name, so what it records has no code`,
      });
    }
    for (const [prop, value] of Object.entries(obj)) {
      const type = propertyOf(cls, prop, obj)?.type;
      if (typeof value !== 'string' || !value.trim() || (type !== 'condition' && type !== 'expression'))
        continue;
      const why = checkExpression(value, known);
      const where = typeof obj.name === 'string' ? ` of ${obj.name}` : '';
      if (why)
        problems.push({
          location: `${path}.${prop}`,
          code: 'broken_expression',
          message: `${prop}${where} "${value}" ${why}`,
        });
    }
  });
  return problems;
}

export function importSurveyJs(opts: {
  json: unknown;
  file: string;
  instrumentId: string;
  sourceLocale?: string | undefined;
  unitType?: 'participant' | 'municipality';
  surveysDir: string;
  localesDir: string;
}): ImportResult {
  const problems: ImportProblem[] = [];
  if (!isObject(opts.json))
    throw new ImportRefused(
      [{ location: '$', code: 'not_an_object', message: 'the file is not a SurveyJS JSON object' }],
      opts.file,
    );
  if (!/^[a-z][a-z0-9-]{1,62}$/.test(opts.instrumentId)) {
    throw new ImportRefused(
      [
        {
          location: '--instrument',
          code: 'invalid_instrument_id',
          message: 'lowercase letters, digits and -',
        },
      ],
      opts.file,
    );
  }
  const dir = join(opts.surveysDir, opts.instrumentId);
  if (existsSync(dir))
    throw new ImportRefused(
      [{ location: dir, code: 'instrument_exists', message: 'an instrument with this id exists' }],
      opts.file,
    );

  const json = structuredClone(opts.json);
  // A survey shows in its `locale` (English unless it names one); "default" strings are SurveyJS's default
  // language, English.
  const declared = typeof json.locale === 'string' && json.locale ? json.locale : 'en';
  const sourceLocale = opts.sourceLocale ?? declared;
  const defaultLocale = 'en';
  const pages = normalisePages(json, problems);
  const { pages: _p, elements: _e, questions: _q, locale: _l, title, description, ...settings } = json;
  const definition: Json = {
    ...settings,
    ...(title ? { title } : {}),
    ...(description ? { description } : {}),
    pages,
  };
  normaliseValueLists(definition);
  const { changes: codes, renames } = assignCodes(definition);
  rewriteReferences(definition, renames);
  const customProperties: CustomProperties = {};
  problems.push(...findProblems(definition, customProperties));
  if (Object.keys(customProperties).length) definition.svarCustomProperties = customProperties;

  // Split every localized string: the source language stays, each other language becomes a draft translation.
  const translations = new Map<string, TranslationFile>();
  const strings = findLocalizableStrings(definition);
  for (const s of strings) {
    const v = s.holder[s.prop];
    if (typeof v === 'string') continue;
    const localized = v as Record<string, unknown>;
    // Where a string lacks the source language, SurveyJS shows its default text: so does Svar.
    const text = localized[sourceLocale] ?? localized.default;
    if (typeof text !== 'string') {
      problems.push({
        location: s.path,
        code: 'no_source_text',
        message: `this string has no ${sourceLocale} or default text`,
      });
      continue;
    }
    s.holder[s.prop] = text;
    for (const [locale, t] of Object.entries(localized)) {
      const lng = locale === 'default' ? defaultLocale : locale;
      if (lng === sourceLocale || typeof t !== 'string' || !t) continue;
      const file = translations.get(lng) ?? {};
      file[s.key] = { source: text, sourceHash: sourceHash(text), text: t, status: 'draft' };
      translations.set(lng, file);
    }
  }
  if (problems.length) throw new ImportRefused(problems, opts.file);

  const surveyTitle =
    typeof definition.title === 'string' && definition.title ? definition.title : opts.instrumentId;
  const { title: _t, description: desc, pages: finalPages, ...finalSettings } = definition;
  const targetLocales = [...translations.keys()].sort();
  mkdirSync(join(dir, 'modules'), { recursive: true });
  const instrumentFile = join(dir, 'instrument.json');
  const moduleFile = join(dir, 'modules', 'main.json');
  writeFileSync(
    instrumentFile,
    `${JSON.stringify(
      {
        id: opts.instrumentId,
        title: surveyTitle,
        ...(typeof desc === 'string' ? { description: desc } : {}),
        sourceLocale,
        targetLocales,
        unitType: opts.unitType ?? 'participant',
        missingCodes: {},
        settings: finalSettings,
        modules: [{ id: 'main', kind: 'core' }],
      },
      null,
      2,
    )}\n`,
  );
  writeFileSync(
    moduleFile,
    `${JSON.stringify({ id: 'main', version: 1, kind: 'core', title: surveyTitle, pages: finalPages }, null, 2)}\n`,
  );
  for (const [locale, file] of translations)
    writeTranslations(opts.localesDir, locale, opts.instrumentId, file);

  let questions = 0;
  visitDefinition(definition, ({ obj, path }) => {
    if (typeof obj.type === 'string' && isElementPath(path) && !noValueTypes.has(obj.type)) questions += 1;
  });
  return {
    instrumentId: opts.instrumentId,
    sourceLocale,
    targetLocales,
    questions,
    strings: strings.length,
    translations: Object.fromEntries([...translations].map(([l, f]) => [l, Object.keys(f).length])),
    files: [instrumentFile, moduleFile],
    codes,
    customProperties,
  };
}
