// Reference data: Norway's municipalities (2024) and Oslo's districts, shipped with Svar (sources: shared data).
import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';

export interface Municipality {
  code: string;
  name: string;
  countyCode: string;
  countyName: string;
}

function readCsv(file: string): Record<string, string>[] {
  return parse(readFileSync(new URL(file, import.meta.url)), {
    columns: true,
    bom: true,
    skip_empty_lines: true,
  });
}

let cache: Municipality[] | undefined;

/** The 357 municipalities from 2024-01-01, with NAV's short, disambiguated display names. */
export function municipalities2024(): Municipality[] {
  cache ??= readCsv('./municipalities-2024-nav-names.csv').map((r) => ({
    code: r.code!,
    name: r.name!,
    countyCode: r.county_code!,
    countyName: r.county_name!,
  }));
  return cache;
}

let osloCache: { code: string; name: string }[] | undefined;

/** Oslo's districts (bydeler, '030101'…, including 030199 "Uoppgitt"); frames may give one in place of 0301. */
export function osloDistricts(): { code: string; name: string }[] {
  osloCache ??= readCsv('./oslo-bydeler.csv').map((r) => ({ code: r.code!, name: r.name! }));
  return osloCache;
}

/** Named lists a question can take its choices from (`svarChoicesFrom`). */
export const choiceLists: Record<string, () => { value: string; text: string }[]> = {
  'municipalities-2024': () =>
    municipalities2024()
      .map((m) => ({ value: m.code, text: m.name }))
      .sort((a, b) => a.text.localeCompare(b.text, 'nb')),
};

let unitNames: Map<string, string> | undefined;

/** A municipal unit's name: the frame's own `municipality_name`, else the reference list's (Oslo districts too). */
export function municipalUnitName(
  code: string | null,
  attributes: Record<string, string> = {},
): string | null {
  if (attributes.municipality_name) return attributes.municipality_name;
  unitNames ??= new Map([...municipalities2024(), ...osloDistricts()].map((m) => [m.code, m.name]));
  return code ? (unitNames.get(code) ?? null) : null;
}
