// `svar surveys check`: everything that must hold before a version can be published, each problem with its file
// and location.
import { ConditionsParser, ExpressionRunner, Model } from 'survey-core';
import { choiceLists } from '../reference/municipalities.ts';
import { type CompiledVersion, compileInstrument } from './compile.ts';
import { isDeclaredCustomProperty } from './import-properties.ts';
import { isElementPath, propertyOf, visitDefinition } from './localizable.ts';
import { checkRotation } from './rotation.ts';
import { composeDefinition, type InstrumentSource, readInstrumentSource, SourceError } from './source.ts';
import { readTranslations, stateOf, type TranslationFile, translationFilePath } from './translations.ts';
import { waveVariableNames } from './wave-variables.ts';
import './survey-model.ts';

type Json = Record<string, unknown>;

export interface Diagnostic {
  file: string;
  location: string;
  code: string;
  message: string;
}

export const codePattern = /^[A-Za-z][A-Za-z0-9_]{0,63}$/;
/** Names an expression may use that are not questions: the row/panel/item context of matrices and dynamic panels. */
const contextPrefixes = new Set([
  'row',
  'panel',
  'parentpanel',
  'item',
  'choice',
  'rowindex',
  'panelindex',
  'visiblerow',
  'self',
]);
/** Variables SurveyJS provides itself. */
const builtInVariables = new Set([
  'locale',
  'pageno',
  'pagecount',
  'correctanswers',
  'incorrectanswers',
  'questioncount',
  // What the wave sets on every survey (wave-variables.ts): explicit years for "last year" and "this year".
  ...waveVariableNames.map((n) => n.toLowerCase()),
]);
const noValueTypes = new Set(['html', 'image', 'panel', 'flowpanel']);

/** Maps a path in the composed definition back to the module file it came from. */
function locator(source: InstrumentSource) {
  const origins: { file: string; index: number }[] = [];
  for (const m of source.modules) {
    for (let i = 0; i < m.pages.length; i++) origins.push({ file: m.file, index: i });
  }
  return (path: string): { file: string; location: string } => {
    const m = path.match(/^\$\.pages\[(\d+)\](.*)$/);
    const origin = m ? origins[Number(m[1])] : undefined;
    if (!m || !origin) return { file: source.file, location: path.replace(/^\$\.?/, '') || '(survey)' };
    return { file: origin.file, location: `pages[${origin.index}]${m[2]}` };
  };
}

/** Why an expression cannot work (it does not parse, or names an unknown question), or null when it can. */
export function checkExpression(text: string, known: Set<string>): string | null {
  const parser = new ConditionsParser();
  if (!parser.parseExpression(text)) {
    const e = (parser as unknown as { error?: { at: number; code: string } }).error;
    return `does not parse${e ? ` at character ${e.at}` : ''}`;
  }
  const unknown = (new ExpressionRunner(text).getVariables() as string[]).filter((v) => {
    const head = v.split(/[.[]/)[0]!.toLowerCase();
    // {$survey.locale} and the like are SurveyJS's own variables.
    return (
      !head.startsWith('$') && !contextPrefixes.has(head) && !builtInVariables.has(head) && !known.has(head)
    );
  });
  return unknown.length ? `references unknown question(s) ${unknown.map((u) => `{${u}}`).join(', ')}` : null;
}

/** The lower-cased names expressions may use: questions (by valueName), calculated values, setvalue targets. */
export function knownVariables(definition: Json): Set<string> {
  const known = new Set<string>();
  visitDefinition(definition, ({ obj, cls, path }) => {
    if (typeof obj.name !== 'string' || !obj.name) return;
    if (cls === 'calculatedvalue' || isElementPath(path))
      known.add(String(obj.valueName ?? obj.name).toLowerCase());
  });
  visitDefinition(definition, ({ obj }) => {
    if (obj.type === 'setvalue' && typeof obj.setToName === 'string') known.add(obj.setToName.toLowerCase());
  });
  return known;
}

export function checkInstrument(
  surveysDir: string,
  id: string,
  localesDir: string,
  root: string,
): Diagnostic[] {
  let source: InstrumentSource;
  try {
    source = readInstrumentSource(surveysDir, id, root);
  } catch (err) {
    if (err instanceof SourceError)
      return [{ file: err.file, location: '(file)', code: 'invalid_source', message: err.message }];
    throw err;
  }
  const out: Diagnostic[] = [];
  const locate = locator(source);
  const add = (path: string, code: string, message: string) => out.push({ ...locate(path), code, message });
  const definition = composeDefinition(source);
  for (const p of checkRotation(source)) out.push({ file: source.file, ...p });

  // Names: every question code valid and unique across the instrument; page names unique.
  const seen = new Map<string, string>();
  visitDefinition(definition, ({ obj, cls, path }) => {
    if (cls === 'survey') return;
    const name = obj.name;
    if (cls === 'page' || cls === 'calculatedvalue' || isElementPath(path)) {
      if (typeof name !== 'string' || name === '') {
        add(path, 'missing_name', `${cls} has no name: every question needs a stable code`);
        return;
      }
      const kind = cls === 'page' ? 'page' : 'question';
      const scoped = `${kind}:${name.toLowerCase()}`;
      if (seen.has(scoped))
        add(path, 'duplicate_code', `${kind} code "${name}" is used twice (also at ${seen.get(scoped)})`);
      else {
        const at = locate(path);
        seen.set(scoped, `${at.file} ${at.location}`);
      }
      if (kind === 'question' && !noValueTypes.has(String(obj.type)) && !codePattern.test(name)) {
        add(
          path,
          'invalid_code',
          `question code "${name}" must be a letter then letters, digits or _ (max 64)`,
        );
      }
    }
  });
  const known = knownVariables(definition);

  // Expressions parse and reference existing questions; choices carry value codes; reference lists exist.
  visitDefinition(definition, ({ obj, cls, path }) => {
    for (const [prop, value] of Object.entries(obj)) {
      const meta = propertyOf(cls, prop, obj);
      if (
        typeof value === 'string' &&
        value.trim() &&
        meta &&
        (meta.type === 'condition' || meta.type === 'expression')
      ) {
        const problem = checkExpression(value, known);
        if (problem) add(`${path}.${prop}`, 'broken_expression', `${prop} "${value}" ${problem}`);
      }
      if (
        Array.isArray(value) &&
        meta?.className &&
        ['itemvalue', 'choiceitem', 'ratingitem', 'matrixcolumn'].includes(meta.className)
      ) {
        value.forEach((item, i) => {
          const v = item && typeof item === 'object' ? (item as Json).value : undefined;
          if (v === undefined || v === null || v === '') {
            add(`${path}.${prop}[${i}]`, 'choice_without_value', `${prop} item has no value code`);
          }
        });
      }
    }
    if (typeof obj.svarChoicesFrom === 'string' && !choiceLists[obj.svarChoicesFrom]) {
      add(`${path}.svarChoicesFrom`, 'unknown_choice_list', `no reference list "${obj.svarChoicesFrom}"`);
    }
  });

  // The definition loads in survey-core with every type and property known.
  const model = new Model(definition);
  for (const e of (model.jsonErrors ?? []) as { message: string; element?: { name?: string } }[]) {
    // An imported definition's own custom properties are kept on purpose, declared in svarCustomProperties.
    if (isDeclaredCustomProperty(definition, e.message)) continue;
    out.push({
      file: source.file,
      location: e.element?.name ? `question ${e.element.name}` : '(definition)',
      code: 'surveyjs_error',
      message: e.message,
    });
  }

  // Translations: every string of every target language present and current (each file read once).
  let translations: Map<string, TranslationFile>;
  let compiled: CompiledVersion;
  try {
    translations = new Map(source.targetLocales.map((l) => [l, readTranslations(localesDir, l, id)]));
    compiled = compileInstrument(source, localesDir, translations);
  } catch (err) {
    out.push({
      file: source.file,
      location: '(translations)',
      code: 'invalid_translation_file',
      message: (err as Error).message,
    });
    return out;
  }
  for (const [locale, t] of translations) {
    const file = translationFilePath(localesDir, locale, id).slice(root.length).replace(/^\//, '');
    for (const [key, text] of compiled.sourceStrings) {
      const state = stateOf(t[key], text);
      if (state === 'missing')
        out.push({ file, location: key, code: 'missing_translation', message: `no ${locale} translation` });
      if (state === 'stale') {
        out.push({
          file,
          location: key,
          code: 'stale_translation',
          message: `the source text changed since this ${locale} translation`,
        });
      }
    }
  }
  return out;
}
