// Reads an instrument's sources from surveys/<id>/: instrument.json plus one file per module.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { z } from 'zod';
import { defaultTargetLocales } from './languages.ts';

type Json = Record<string, unknown>;

const instrumentFileSchema = z
  .object({
    id: z.string().regex(/^[a-z][a-z0-9-]{1,62}$/),
    title: z.string().min(1),
    description: z.string().optional(),
    sourceLocale: z.string().min(2).default('nb'),
    targetLocales: z.array(z.string().min(2)).optional(),
    unitType: z.enum(['participant', 'municipality']),
    missingCodes: z.record(z.string(), z.string()).default({}),
    /** Survey-level SurveyJS properties (showProgressBar, triggers, calculatedValues, completedHtml…). */
    settings: z.record(z.string(), z.unknown()).default({}),
    modules: z
      .array(z.object({ id: z.string().regex(/^[a-z][a-z0-9-]*$/), kind: z.enum(['core', 'theme']) }))
      .min(1),
    /**
     * Which theme modules run in which year ("2027": ["theme-settlement", …]); `check` validates it. A version
     * carries every module; a wave runs its core modules and its year's themes (server/fieldwork/wave-modules.ts).
     */
    rotation: z.record(z.string(), z.array(z.string())).optional(),
  })
  .strict();

const moduleFileSchema = z
  .object({
    id: z.string(),
    version: z.number().int().positive(),
    kind: z.enum(['core', 'theme']),
    title: z.string().min(1),
    /** Question code → why a changed wording is only a minor edit (recorded in the version's change log). */
    minorEdits: z.record(z.string(), z.string()).default({}),
    pages: z.array(z.record(z.string(), z.unknown())).min(1),
  })
  .strict();

export interface ModuleSource extends z.infer<typeof moduleFileSchema> {
  file: string;
}

export interface InstrumentSource
  extends Omit<z.infer<typeof instrumentFileSchema>, 'modules' | 'targetLocales'> {
  dir: string;
  file: string;
  targetLocales: string[];
  modules: ModuleSource[];
}

export class SourceError extends Error {
  constructor(
    readonly file: string,
    message: string,
  ) {
    super(`${file}: ${message}`);
  }
}

function readJsonFile(file: string, root: string): unknown {
  const shown = relative(root, file);
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new SourceError(shown, `not valid JSON (${(err as Error).message})`);
  }
}

function parseFile<S extends z.ZodType>(schema: S, value: unknown, shown: string): z.infer<S> {
  const r = schema.safeParse(value);
  if (!r.success) {
    const first = r.error.issues.map((i) => `${i.path.join('.') || '(top)'}: ${i.message}`).join('; ');
    throw new SourceError(shown, first);
  }
  return r.data;
}

/** Instrument ids found in the surveys folder. */
export function listInstrumentIds(surveysDir: string): string[] {
  if (!existsSync(surveysDir)) return [];
  return readdirSync(surveysDir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(join(surveysDir, d.name, 'instrument.json')))
    .map((d) => d.name)
    .sort();
}

export function readInstrumentSource(surveysDir: string, id: string, root = surveysDir): InstrumentSource {
  const dir = join(surveysDir, id);
  const file = join(dir, 'instrument.json');
  if (!existsSync(file)) throw new SourceError(relative(root, file), `no instrument "${id}"`);
  const meta = parseFile(instrumentFileSchema, readJsonFile(file, root), relative(root, file));
  if (meta.id !== id)
    throw new SourceError(relative(root, file), `id "${meta.id}" does not match its folder "${id}"`);
  const modules = meta.modules.map((m) => {
    const moduleFile = join(dir, 'modules', `${m.id}.json`);
    const shown = relative(root, moduleFile);
    if (!existsSync(moduleFile))
      throw new SourceError(shown, `module "${m.id}" is listed in instrument.json but missing`);
    const parsed = parseFile(moduleFileSchema, readJsonFile(moduleFile, root), shown);
    if (parsed.id !== m.id) throw new SourceError(shown, `id "${parsed.id}" does not match its file name`);
    if (parsed.kind !== m.kind)
      throw new SourceError(shown, `kind "${parsed.kind}" differs from instrument.json ("${m.kind}")`);
    return { ...parsed, file: shown };
  });
  return {
    ...meta,
    targetLocales: meta.targetLocales ?? defaultTargetLocales.filter((l) => l !== meta.sourceLocale),
    dir,
    file: relative(root, file),
    modules,
  };
}

/** The SurveyJS definition in the source language: survey settings plus every module's pages, in order. */
export function composeDefinition(source: InstrumentSource): Json {
  return {
    ...source.settings,
    title: source.title,
    ...(source.description ? { description: source.description } : {}),
    pages: source.modules.flatMap((m) =>
      m.pages.map((p) => ({ ...p, svarModule: m.id, title: (p.title as string | undefined) ?? m.title })),
    ),
  };
}
