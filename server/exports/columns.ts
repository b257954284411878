// The columns of an export, read off a version's definition: one per simple question, and flattened for the rest
// (matrix rows, one 0/1 column per choice of a multi-select, "other" text, dynamic rows and panels up to a cap).
// Pure and the same for every format: each writer only decides how to spell what it is given.
import { type Labels, labelsOf } from '../surveys/codebook.ts';

type Json = Record<string, unknown>;

export type Cell = number | string | Date | null;

export interface ValueLabel {
  value: number | string;
  labels: Labels;
  /** The instrument's missing code this value stands for ("dont_know", "does_not_apply"). */
  missing?: string;
}

export interface ExportColumn {
  /** Column name: the question code, or `code_row`, `code_row_column`, `code_choice`, `code_other_text`. */
  name: string;
  /** The variable label per language: the question text (with the row, column or choice for flattened ones). */
  labels: Labels;
  type: 'number' | 'string' | 'datetime';
  role: 'id' | 'system' | 'weight' | 'answer' | 'quality';
  valueLabels: ValueLabel[];
  /** Values that are user-missing (the instrument's missing codes among the value labels). */
  missing: number[];
  /** The question it comes from, and its module and page. */
  question?: ExportQuestion;
  /** Reads the column's value out of a response's answers. */
  read?: (answers: Json) => Cell;
}

export interface ExportQuestion {
  code: string;
  type: string;
  module: string | null;
  page: string | null;
  /** The name an imported SurveyJS definition gave the question, where it was not a usable code (`svarSourceName`). */
  sourceName?: string;
}

/** Dynamic matrices and panels give this many numbered rows/panels; more are left out, and the codebook says so. */
export const dynamicCap = 10;

export interface ColumnOptions {
  sourceLocale: string;
  /** Missing code → its meaning, e.g. { "98": "dont_know" }. */
  missingCodes: Record<string, string>;
}

const noValue = new Set(['html', 'image', 'panel', 'flowpanel', 'expression']);

function choiceList(q: Json): unknown[] {
  if (q.type === 'rating' && !Array.isArray(q.rateValues)) {
    const min = Number(q.rateMin ?? 1);
    const max = Number(q.rateMax ?? 5);
    const step = Number(q.rateStep ?? 1);
    const out: number[] = [];
    for (let x = min; x <= max; x += step) out.push(x);
    return out;
  }
  return ((q.type === 'rating' ? q.rateValues : q.choices) as unknown[] | undefined) ?? [];
}

function valueLabels(list: unknown[], opts: ColumnOptions): ValueLabel[] {
  return list.map((item) => {
    const o = item && typeof item === 'object' ? (item as Json) : { value: item };
    const raw = (o.value ?? o.name) as string | number;
    const value = typeof raw === 'string' && /^-?\d+(\.\d+)?$/.test(raw) ? Number(raw) : raw;
    const missing = opts.missingCodes[String(value)];
    return {
      value,
      labels: labelsOf(o.text ?? o.title ?? String(raw), opts.sourceLocale),
      ...(missing ? { missing } : {}),
    };
  });
}

/** Joins a question's labels with a part's (row, column, choice) in every language either has. */
function joined(a: Labels, b: Labels): Labels {
  const out: Labels = {};
  for (const l of new Set([...Object.keys(a), ...Object.keys(b)]))
    out[l] = `${a[l] ?? a.nb ?? ''}: ${b[l] ?? b.nb ?? ''}`;
  return out;
}

function missingOf(labels: ValueLabel[]): number[] {
  return labels.filter((v) => v.missing && typeof v.value === 'number').map((v) => v.value as number);
}

/** A value as a cell of a column: numbers stay numbers where the column is numeric, the rest is text. */
function cell(value: unknown, type: ExportColumn['type']): Cell {
  if (value === undefined || value === null || value === '') return null;
  if (type === 'number') {
    if (typeof value === 'boolean') return value ? 1 : 0;
    const n = typeof value === 'number' ? value : Number(value);
    return Number.isFinite(n) ? n : null;
  }
  return typeof value === 'string' ? value : JSON.stringify(value);
}

function codedType(labels: ValueLabel[]): ExportColumn['type'] {
  return labels.every((v) => typeof v.value === 'number') ? 'number' : 'string';
}

function suffix(value: unknown): string {
  return String(value).replace(/[^A-Za-z0-9_]/g, '_');
}

interface Ctx {
  opts: ColumnOptions;
  module: string | null;
  page: string | null;
}

function questionOf(ctx: Ctx, q: Json, type: string): ExportQuestion {
  return {
    code: String(q.valueName ?? q.name),
    type,
    module: ctx.module,
    page: ctx.page,
    ...(typeof q.svarSourceName === 'string' ? { sourceName: q.svarSourceName } : {}),
  };
}

function answerColumn(
  ctx: Ctx,
  q: Json,
  c: Omit<ExportColumn, 'role' | 'question' | 'missing'>,
): ExportColumn {
  return {
    ...c,
    role: 'answer',
    missing: missingOf(c.valueLabels),
    question: questionOf(ctx, q, String(q.type)),
  };
}

/** The columns of one question, in order. */
function questionColumns(ctx: Ctx, q: Json): ExportColumn[] {
  const code = String(q.valueName ?? q.name);
  const src = ctx.opts.sourceLocale;
  const title = labelsOf(q.title ?? q.name, src);
  const get = (answers: Json) => answers[code];
  const cols: ExportColumn[] = [];
  const other = q.showOtherItem === true || q.hasOther === true;
  switch (q.type) {
    case 'checkbox':
    case 'tagbox':
    case 'ranking': {
      const choices = valueLabels(choiceList(q), ctx.opts);
      if (other) choices.push({ value: 'other', labels: labelsOf(q.otherText ?? 'Annet', src) });
      const chosen = [
        { value: 0, labels: { [src]: 'Ikke valgt', en: 'Not chosen' } },
        { value: 1, labels: { [src]: 'Valgt', en: 'Chosen' } },
      ];
      for (const choice of choices) {
        const ranking = q.type === 'ranking';
        const wanted = String(choice.value);
        cols.push(
          answerColumn(ctx, q, {
            name: `${code}_${suffix(choice.value)}`,
            labels: joined(title, choice.labels),
            type: 'number',
            valueLabels: ranking ? [] : chosen,
            read: (a) => {
              const v = get(a);
              if (!Array.isArray(v)) return null;
              // Compared as text (a stored 3 and a label's "3" are one code), converting only across types: this
              // runs for every choice of every multi-select of every row.
              let at = -1;
              for (let k = 0; k < v.length; k += 1) {
                const x: unknown = v[k];
                if (typeof x === typeof choice.value ? x === choice.value : String(x) === wanted) {
                  at = k;
                  break;
                }
              }
              return ranking ? (at < 0 ? null : at + 1) : at < 0 ? 0 : 1;
            },
          }),
        );
      }
      break;
    }
    case 'matrix': {
      const columns = valueLabels((q.columns as unknown[]) ?? [], ctx.opts);
      const type = codedType(columns);
      for (const row of valueLabels((q.rows as unknown[]) ?? [], { ...ctx.opts, missingCodes: {} }))
        cols.push(
          answerColumn(ctx, q, {
            name: `${code}_${suffix(row.value)}`,
            labels: joined(title, row.labels),
            type,
            valueLabels: columns,
            read: (a) => cell((get(a) as Json | undefined)?.[String(row.value)], type),
          }),
        );
      break;
    }
    case 'matrixdropdown':
    case 'matrixdynamic': {
      const rows =
        q.type === 'matrixdynamic'
          ? Array.from({ length: dynamicCap }, (_, i) => ({ value: i + 1, labels: { [src]: String(i + 1) } }))
          : valueLabels((q.rows as unknown[]) ?? [], { ...ctx.opts, missingCodes: {} });
      for (const [i, row] of rows.entries())
        for (const column of (q.columns as Json[]) ?? []) {
          const cellQuestion: Json = {
            ...column,
            type: column.cellType ?? q.cellType ?? 'dropdown',
            choices: column.choices ?? q.choices,
          };
          const labels = valueLabels(choiceList(cellQuestion), ctx.opts);
          const type = labels.length
            ? codedType(labels)
            : cellQuestion.inputType === 'number'
              ? 'number'
              : 'string';
          const pick = (a: Json) => {
            const v = get(a);
            return q.type === 'matrixdynamic'
              ? (v as Json[] | undefined)?.[i]?.[String(column.name)]
              : ((v as Json | undefined)?.[String(row.value)] as Json | undefined)?.[String(column.name)];
          };
          cols.push(
            answerColumn(ctx, q, {
              name: `${code}_${suffix(row.value)}_${suffix(column.name)}`,
              labels: joined(joined(title, row.labels), labelsOf(column.title ?? column.name, src)),
              type,
              valueLabels: cellQuestion.type === 'checkbox' ? [] : labels,
              read: (a) => cell(pick(a), cellQuestion.type === 'checkbox' ? 'string' : type),
            }),
          );
        }
      break;
    }
    case 'multipletext':
      for (const item of (q.items as Json[]) ?? [])
        cols.push(
          answerColumn(ctx, q, {
            name: `${code}_${suffix(item.name)}`,
            labels: joined(title, labelsOf(item.title ?? item.name, src)),
            type: item.inputType === 'number' ? 'number' : 'string',
            valueLabels: [],
            read: (a) =>
              cell(
                (get(a) as Json | undefined)?.[String(item.name)],
                item.inputType === 'number' ? 'number' : 'string',
              ),
          }),
        );
      break;
    case 'paneldynamic':
      for (let i = 0; i < dynamicCap; i += 1)
        for (const inner of (q.templateElements as Json[]) ?? []) {
          if (noValue.has(String(inner.type)) || typeof inner.name !== 'string') continue;
          for (const c of questionColumns(ctx, inner))
            cols.push({
              ...c,
              name: `${code}_${i + 1}_${c.name}`,
              labels: joined(joined(title, { [src]: String(i + 1) }), c.labels),
              question: questionOf(ctx, q, 'paneldynamic'),
              read: (a) => c.read!(((get(a) as Json[] | undefined)?.[i] ?? {}) as Json),
            });
        }
      break;
    case 'boolean': {
      const labels: ValueLabel[] = [
        { value: 1, labels: labelsOf(q.labelTrue ?? 'Ja', src) },
        { value: 0, labels: labelsOf(q.labelFalse ?? 'Nei', src) },
      ];
      cols.push(
        answerColumn(ctx, q, {
          name: code,
          labels: title,
          type: 'number',
          valueLabels: labels,
          read: (a) => {
            const v = get(a);
            if (v === undefined || v === null) return null;
            return v === true || v === (q.valueTrue ?? true) ? 1 : 0;
          },
        }),
      );
      break;
    }
    default: {
      const labels = valueLabels(choiceList(q), ctx.opts);
      if (other && q.type !== 'checkbox')
        labels.push({ value: 'other', labels: labelsOf(q.otherText ?? 'Annet', src) });
      const numeric = q.inputType === 'number' || q.inputType === 'range' || q.type === 'rating';
      const type: ExportColumn['type'] = labels.length ? codedType(labels) : numeric ? 'number' : 'string';
      cols.push(
        answerColumn(ctx, q, {
          name: code,
          labels: title,
          type,
          valueLabels: labels,
          read: (a) => cell(get(a), type),
        }),
      );
    }
  }
  if (other)
    cols.push(
      answerColumn(ctx, q, {
        name: `${code}_other_text`,
        labels: joined(title, labelsOf(q.otherText ?? 'Annet', src)),
        type: 'string',
        valueLabels: [],
        read: (a) => cell(a[`${code}-Comment`], 'string'),
      }),
    );
  return cols;
}

function walk(ctx: Ctx, elements: unknown, out: ExportColumn[]): void {
  if (!Array.isArray(elements)) return;
  for (const el of elements as Json[]) {
    if (el.type === 'panel' || el.type === 'flowpanel') {
      walk(ctx, el.elements, out);
      continue;
    }
    if (noValue.has(String(el.type)) || typeof el.name !== 'string') continue;
    out.push(...questionColumns(ctx, el));
  }
}

/** Every answer column of a compiled definition, in questionnaire order. */
export function answerColumns(definition: Json, opts: ColumnOptions): ExportColumn[] {
  const out: ExportColumn[] = [];
  for (const page of (definition.pages ?? []) as Json[]) {
    const ctx: Ctx = {
      opts,
      module: (page.svarModule as string | undefined) ?? null,
      page: (page.name as string) ?? null,
    };
    walk(ctx, page.elements, out);
  }
  return out;
}

/**
 * The answer columns of several versions, one per name: the newest version's columns in its order, and a column
 * only older versions asked right after the column it followed there. A question replaced by a new code (a choice
 * added, "don't know" offered) so stands beside its successor, and the newest labels win for a shared name.
 */
export function alignColumns(perVersion: ExportColumn[][]): ExportColumn[] {
  const out = [...(perVersion.at(-1) ?? [])];
  const at = new Map(out.map((c, i) => [c.name, i]));
  for (const cols of perVersion.slice(0, -1).reverse()) {
    let after = -1;
    for (const c of cols) {
      const found = at.get(c.name);
      if (found !== undefined) {
        after = found;
        continue;
      }
      after += 1;
      out.splice(after, 0, c);
      at.clear();
      for (const [i, x] of out.entries()) at.set(x.name, i);
    }
  }
  return out;
}
