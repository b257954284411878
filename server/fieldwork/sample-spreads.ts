// Neyman spreads (each stratum's standard deviation), from a spread file or a frame column: one number per
// stratum, a decimal comma read as a point, and a column that differs within a stratum refused rather than
// silently reduced to its first value.
import { z } from 'zod';
import type { Executor } from '../audit/queries.ts';
import { ValidationError } from '../http/errors.ts';
import { listSpreadValues } from './sample-queries.ts';
import { parseDecimal } from './sampling.ts';

/** A spread in a file or a request: a number, or text such as "1,5". Negative spreads are refused by allocate. */
export const spreadsSchema = z.record(
  z.string(),
  z.union([z.number(), z.string()]).transform((v, ctx) => {
    const spread = parseDecimal(v);
    if (spread === undefined) ctx.addIssue({ code: 'custom', message: `not a number: ${JSON.stringify(v)}` });
    return spread ?? Number.NaN;
  }),
);

const shown = 4;

/** The spread per stratum from a frame column; refuses a stratum whose units give different spreads. */
export async function columnSpreads(
  db: Executor,
  waveId: string,
  strata: string | null | undefined,
  column: string,
): Promise<Map<string, number>> {
  const rows = await listSpreadValues(db, waveId, strata, column, shown);
  const byStratum = new Map<string, typeof rows>();
  for (const r of rows) byStratum.set(r.stratum, [...(byStratum.get(r.stratum) ?? []), r]);
  const spreads = new Map<string, number>();
  const problems: { name: string; reason: string }[] = [];
  for (const [stratum, values] of byStratum) {
    const bad = values.find((v) => parseDecimal(v.value) === undefined);
    if (bad) {
      problems.push({
        name: stratum,
        reason: `has a value that is not a number: ${JSON.stringify(bad.value)}`,
      });
      continue;
    }
    const numbers = new Set(values.map((v) => parseDecimal(v.value)!));
    if (numbers.size > 1 || values[0]!.distinct_values > values.length) {
      const listed = values.map((v) => `${v.value} (${v.units} unit${v.units === 1 ? '' : 's'})`).join(', ');
      const more =
        values[0]!.distinct_values > values.length ? `, … ${values[0]!.distinct_values} in all` : '';
      problems.push({ name: stratum, reason: `has different values: ${listed}${more}` });
      continue;
    }
    spreads.set(stratum, [...numbers][0]!);
  }
  if (problems.length > 0) {
    throw new ValidationError(
      `Neyman allocation needs one spread per stratum from column ${column}: ` +
        problems.map((p) => `stratum ${p.name} ${p.reason}`).join('; ') +
        '. Give every unit of a stratum the same spread, or give the spreads in a file.',
      problems.map((p) => ({ name: `strata.${p.name}`, reason: p.reason })),
      'spread_column_invalid',
    );
  }
  return spreads;
}
