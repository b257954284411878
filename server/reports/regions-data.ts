// One pass over a wave's export dataset for the reports: every completed response with where it is from, its
// weight and its answers to the closed questions; the stratified design built once; shares for any domain.
// estimates.ts answers one variable per pass; a fact sheet needs ~60 questions × hundreds of domains, so this
// reads the same rows (server/exports/load.ts) once and applies the same estimator (estimation.ts) to each.
import type { Db } from '../db/connect.ts';
import type { Cell, ExportColumn } from '../exports/columns.ts';
import { loadDataset } from '../exports/load.ts';
import { findWavesWithVersion } from '../exports/queries.ts';
import * as fieldwork from '../fieldwork/queries.ts';
import { requireWave } from '../fieldwork/wave-lock.ts';
import { ConflictError } from '../http/errors.ts';
import { type Labels, labelsOf } from '../surveys/codebook.ts';
import { fillLabelYears, type WaveVariables, waveVariables } from '../surveys/wave-variables.ts';
import { stratumPopulations, weightingStratum } from './design.ts';
import { lonelyPsuRule } from './estimates.ts';
import { DesignError, estimateMean, type StratifiedDesign, stratifiedDesign } from './estimation.ts';
import { defaultK } from './suppression.ts';

type Code = number | string;
type Json = Record<string, unknown>;

export interface Category {
  /** The code as a string: the suppression engine's row key. */
  key: string;
  labels: Labels;
  /** dont_know, does_not_apply: the instrument's missing codes are shown as categories of their own. */
  missing?: string;
  /** The export column a multi-select option is read from. */
  column?: string;
}

/** A closed question: one coded column (single), or one 0/1 column per option (multiple: share choosing it). */
export interface ClosedQuestion {
  key: string;
  code: string;
  page: string | null;
  kind: 'single' | 'multiple';
  title: Labels;
  categories: Category[];
  column?: string;
}

export interface WaveData {
  wave: {
    id: string;
    name: string;
    mode: 'census' | 'sample';
    status: string;
    unitType: string;
    /** The year the wave asks about (server/surveys/wave-variables.ts). */
    referenceYear: number;
  };
  instrumentId: string;
  /** The suppression threshold: waves have no K of their own yet, so every wave uses defaultK (ADR 6). */
  k: number;
  weights: 'nr_weight' | 'design_weight';
  design: StratifiedDesign;
  responseIds: string[];
  /** The frame's code per respondent: a municipality (4 digits) or an Oslo district (6). */
  unitCode: (string | null)[];
  county: (string | null)[];
  pages: { name: string; title: Labels }[];
  questions: ClosedQuestion[];
  values: Map<string, (Code | null)[]>;
  /** Selected units and whether each completed: the response rate's denominator. */
  invited: { unitCode: string | null; completed: boolean }[];
  notes: string[];
}

/** Coded columns with more categories than this (a list of municipalities) are lists, not distributions. */
const maxCategories = 20;
const closedTypes = new Set(['radiogroup', 'dropdown', 'rating', 'boolean', 'imagepicker', 'matrix']);
const multiTypes = new Set(['checkbox', 'tagbox']);

/** `markYears`: titles say "[året før]" rather than the wave's year, for a trend across waves of several years. */
export async function loadWaveData(
  db: Db,
  waveId: string,
  opts: { markYears?: boolean } = {},
): Promise<WaveData> {
  const wave = await requireWave(db, waveId);
  const [version] = await findWavesWithVersion(db, [waveId]);
  const definition = version!.definition as Json;
  const { dataset } = await loadDataset(db, [waveId], {
    labelLocale: 'nb',
    quality: false,
    markYears: opts.markYears ?? false,
  });
  // The wave's years in page and question titles, as its respondents read them (the columns' labels have them).
  const referenceYear = dataset.waves[0]!.referenceYear!;
  const years = opts.markYears ? null : waveVariables(referenceYear);
  const { pages, titles } = walkDefinition(definition, version!.source_locale, years);
  const questions = closedQuestions(dataset.columns, titles);
  const wanted = new Set(
    questions.flatMap((q) => (q.column ? [q.column] : q.categories.map((c) => c.column!))),
  );
  const at = (name: string) => dataset.columns.findIndex((c) => c.name === name);
  const [id, status, stratum, municipality, county, nr, dw] = [
    'response_id',
    'status',
    'stratum',
    'municipality',
    'county',
    'nr_weight',
    'design_weight',
  ].map(at) as number[];
  const columns = [...wanted].map((name) => ({ name, index: at(name) }));
  const values = new Map(columns.map((c) => [c.name, [] as (Code | null)[]]));
  const rows = { id: [] as string[], unit: [] as (string | null)[], county: [] as (string | null)[] };
  const strata: string[] = [];
  const nrWeights: (number | null)[] = [];
  const designWeights: number[] = [];
  for await (const batch of dataset.batches())
    for (const row of batch) {
      // Only completed responses are respondents, as in estimates.ts.
      if (row[status!] !== 'completed') continue;
      const unit = (row[municipality!] as string | null) ?? null;
      rows.id.push(String(row[id!]));
      rows.unit.push(unit);
      rows.county.push((row[county!] as string | null) ?? null);
      strata.push(weightingStratum(wave.mode, (row[stratum!] as string | null) ?? null, unit));
      nrWeights.push((row[nr!] as number | null) ?? null);
      designWeights.push((row[dw!] as number | null) ?? 1);
      for (const c of columns) values.get(c.name)!.push(codeOf(row[c.index]));
    }
  const units = await fieldwork.listSelectedUnitStates(db, waveId);
  const notes: string[] = [];
  const useNr = nrWeights.every((w) => w !== null);
  if (!useNr) notes.push('design_weights');
  let design: StratifiedDesign;
  try {
    design = stratifiedDesign({
      strata,
      weights: useNr ? (nrWeights as number[]) : designWeights,
      populationSizes: stratumPopulations(wave, units),
      lonelyPsu: lonelyPsuRule,
    });
  } catch (err) {
    if (err instanceof DesignError) throw new ConflictError(err.code, `The wave's design: ${err.message}.`);
    throw err;
  }
  if (wave.status !== 'closed') notes.push('provisional');
  for (const q of questions)
    if (q.kind === 'single') q.categories.push(...unlisted(values.get(q.column!)!, q.categories));
  return {
    wave: {
      id: wave.id,
      name: wave.name,
      mode: wave.mode,
      status: wave.status,
      unitType: wave.unit_type,
      referenceYear,
    },
    instrumentId: wave.instrument_id,
    k: wave.small_cell_k ?? defaultK,
    weights: useNr ? 'nr_weight' : 'design_weight',
    design,
    responseIds: rows.id,
    unitCode: rows.unit,
    county: rows.county,
    pages,
    questions,
    values,
    invited: units.map((u) => ({
      unitCode: u.municipality_code,
      completed: u.response_status === 'completed',
    })),
    notes,
  };
}

const codeOf = (c: Cell | undefined): Code | null =>
  c === null || c === undefined || c instanceof Date ? null : c;

/** Page titles in order, and every question's title, per language, from the compiled definition. */
function walkDefinition(definition: Json, src: string, years: WaveVariables | null) {
  const titles = new Map<string, Labels>();
  const labels = (text: unknown) => fillLabelYears(labelsOf(text, src), years);
  const walk = (elements: unknown) => {
    for (const e of (elements as Json[] | undefined) ?? []) {
      if (e.name) titles.set(String(e.valueName ?? e.name), labels(e.title ?? e.name));
      walk(e.elements);
      walk(e.templateElements);
    }
  };
  const pages = ((definition.pages as Json[] | undefined) ?? []).map((p) => {
    walk(p.elements);
    return { name: String(p.name), title: labels(p.title ?? p.name) };
  });
  return { pages, titles };
}

/** The closed questions in questionnaire order: coded single-choice columns and multi-select questions. */
function closedQuestions(columns: ExportColumn[], titles: Map<string, Labels>): ClosedQuestion[] {
  const out: ClosedQuestion[] = [];
  const seen = new Set<string>();
  for (const c of columns) {
    const q = c.question;
    if (c.role !== 'answer' || !q) continue;
    if (closedTypes.has(q.type) && c.valueLabels.length && c.valueLabels.length <= maxCategories) {
      out.push({
        key: c.name,
        code: q.code,
        page: q.page,
        kind: 'single',
        // A matrix row's label is "question: row"; a plain question's is its title.
        title: c.labels,
        column: c.name,
        categories: c.valueLabels.map((v) => ({
          key: String(v.value),
          labels: v.labels,
          ...(v.missing ? { missing: v.missing } : {}),
        })),
      });
    } else if (multiTypes.has(q.type) && !seen.has(q.code)) {
      seen.add(q.code);
      const title = titles.get(q.code) ?? c.labels;
      const options = columns.filter(
        (o) => o.question?.code === q.code && o.role === 'answer' && o.name !== `${q.code}_other_text`,
      );
      out.push({
        key: q.code,
        code: q.code,
        page: q.page,
        kind: 'multiple',
        title,
        categories: options.map((o) => ({
          key: o.name.slice(q.code.length + 1),
          labels: optionLabels(o.labels, title),
          column: o.name,
        })),
      });
    }
  }
  return out;
}

/** A multi-select column's label is "question: option" in every language; the option is what follows. */
function optionLabels(labels: Labels, title: Labels): Labels {
  const out: Labels = {};
  for (const [lng, text] of Object.entries(labels)) {
    const prefix = `${title[lng] ?? title.nb ?? ''}: `;
    out[lng] = text.startsWith(prefix) ? text.slice(prefix.length) : text;
  }
  return out;
}

export interface CategoryFigure {
  key: string;
  /** Unweighted respondents choosing it. */
  n: number;
  estimate: number | null;
  se: number | null;
  ciLow: number | null;
  ciHigh: number | null;
}

export interface DomainFigures {
  /** Unweighted respondents who answered the question (any code, missing codes included). */
  base: number;
  categories: CategoryFigure[];
}

/**
 * Shares of every category in each domain (rows of the design): svymean of the category's indicator over those
 * who answered, computed in the whole design so domains that cut across strata get the right variance.
 */
export function questionFigures(data: WaveData, q: ClosedQuestion, domains: number[][]): DomainFigures[] {
  const out: DomainFigures[] = domains.map(() => ({ base: 0, categories: [] }));
  for (const c of q.categories) {
    const raw = data.values.get(c.column ?? q.column!)!;
    const y =
      q.kind === 'single'
        ? raw.map((v) => (v === null ? null : String(v) === c.key ? 1 : 0))
        : raw.map((v) => (v === null ? null : Number(v) === 1 ? 1 : 0));
    domains.forEach((rows, d) => {
      const e = estimateMean(data.design, y, rows);
      const n = rows.reduce((sum, i) => sum + (y[i] === 1 ? 1 : 0), 0);
      const shown = e.n > 0 && Number.isFinite(e.estimate);
      out[d]!.base = Math.max(out[d]!.base, e.n);
      out[d]!.categories.push({
        key: c.key,
        n,
        estimate: shown ? e.estimate : null,
        se: shown ? e.se : null,
        ciLow: shown ? Math.max(0, e.ciLow) : null,
        ciHigh: shown ? Math.min(1, e.ciHigh) : null,
      });
    });
  }
  return out;
}

/** Codes answered but not in this version's codebook (an older version's code) are counted, not dropped. */
function unlisted(values: (Code | null)[], categories: Category[]): Category[] {
  const known = new Set(categories.map((c) => c.key));
  const extra = new Set(values.filter((v) => v !== null && !known.has(String(v))).map(String));
  return [...extra].sort().map((key) => ({ key, labels: { nb: key } }));
}

/** Row indices by key (municipality, county, …), and every respondent. */
export function rowsBy(keys: readonly (string | null)[]): Map<string, number[]> {
  const groups = new Map<string, number[]>();
  keys.forEach((key, i) => {
    if (key === null) return;
    const rows = groups.get(key);
    if (rows) rows.push(i);
    else groups.set(key, [i]);
  });
  return groups;
}
