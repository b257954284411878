// Publishing instruments as immutable versions, and reading versions, codebooks and differences back.
import { relative } from 'node:path';
import { recordAudit } from '../audit/queries.ts';
import type { Config } from '../config.ts';
import type { Db } from '../db/connect.ts';
import { ConflictError, NotFoundError, ValidationError } from '../http/errors.ts';
import type { Actor } from '../staff/service.ts';
import { withWorkingTranslations } from '../translations/publish-merge.ts';
import { reviewedLocales } from '../translations/service.ts';
import { checkInstrument, type Diagnostic } from './check.ts';
import { buildCodebook, type Codebook, codebookForYears } from './codebook.ts';
import { compileInstrument } from './compile.ts';
import { diffCodebooks, questionIdentity, type VersionDiff } from './diff.ts';
import * as q from './queries.ts';
import { readInstrumentSource } from './source.ts';

const translationCodes = new Set(['missing_translation', 'stale_translation']);

export type SurveyPaths = Pick<Config, 'surveysDir' | 'localesDir' | 'projectRoot'>;

export interface ChangelogEntry {
  kind: 'published' | 'minor_edit';
  code?: string;
  note: string;
}

export interface PublishResult {
  instrumentId: string;
  version: number;
  contentHash: string;
  created: boolean;
  changelog: ChangelogEntry[];
  diff: VersionDiff | null;
}

export function checkAll(paths: SurveyPaths, ids: string[]): Diagnostic[] {
  return ids.flatMap((id) => checkInstrument(paths.surveysDir, id, paths.localesDir, paths.projectRoot));
}

function diagnosticsError(message: string, diagnostics: Diagnostic[], code: string): ValidationError {
  return new ValidationError(
    message,
    diagnostics.map((d) => ({ name: `${d.file}: ${d.location}`, reason: `${d.code}: ${d.message}` })),
    code,
  );
}

/**
 * Compiles and stores a new version, unless the same content is already published (then nothing changes).
 * Refuses when the check fails, or when a question code from any earlier version comes back with other source
 * wording or answer codes and the module does not declare the change a minor edit.
 */
export async function publishInstrument(
  db: Db,
  paths: SurveyPaths,
  id: string,
  actor: Actor,
): Promise<PublishResult> {
  // Incomplete languages do not stop a version: it records each language's state, and a wave offers only
  // complete ones. Everything else must pass.
  const diagnostics = checkInstrument(paths.surveysDir, id, paths.localesDir, paths.projectRoot).filter(
    (d) => !translationCodes.has(d.code),
  );
  if (diagnostics.length)
    throw diagnosticsError(`${id} does not pass the survey check.`, diagnostics, 'instrument_check_failed');
  const source = readInstrumentSource(paths.surveysDir, id, paths.projectRoot);
  // The review workflow's texts (server/translations/) go into the next version over the locale files.
  const sourceStrings = compileInstrument(source, paths.localesDir).sourceStrings;
  const translations = await withWorkingTranslations(
    db,
    id,
    source.targetLocales,
    sourceStrings,
    paths.localesDir,
  );
  const compiled = compileInstrument(source, paths.localesDir, translations);
  const codebook = buildCodebook(compiled.definition, {
    sourceLocale: compiled.sourceLocale,
    locales: compiled.locales.map((l) => l.locale),
    missingCodes: compiled.missingCodes,
  });
  const minorEdits = new Map(source.modules.flatMap((m) => Object.entries(m.minorEdits)));

  return db.transaction().execute(async (trx) => {
    await q.upsertInstrument(trx, {
      id,
      title: compiled.title,
      unitType: compiled.unitType,
      sourceLocale: compiled.sourceLocale,
    });
    await q.lockInstrument(trx, id);
    const same = await q.findVersionByHash(trx, id, compiled.contentHash);
    if (same) {
      return {
        instrumentId: id,
        version: same.version,
        contentHash: compiled.contentHash,
        created: false,
        changelog: [],
        diff: null,
      };
    }
    const history = await q.listVersionCodebooks(trx, id);
    // The most recent earlier identity of every code ever used: a code keeps its meaning forever.
    const earlier = new Map<string, { version: number; identity: string }>();
    for (const h of history) {
      for (const v of (h.codebook as unknown as Codebook).variables) {
        if (!earlier.has(v.code))
          earlier.set(v.code, { version: h.version, identity: questionIdentity(v, compiled.sourceLocale) });
      }
    }
    const changelog: ChangelogEntry[] = [];
    const refused: Diagnostic[] = [];
    for (const v of codebook.variables) {
      const before = earlier.get(v.code);
      if (!before || before.identity === questionIdentity(v, compiled.sourceLocale)) continue;
      const note = minorEdits.get(v.code);
      if (note) changelog.push({ kind: 'minor_edit', code: v.code, note });
      else {
        const file =
          source.modules.find((m) => m.id === v.module)?.file ?? relative(paths.projectRoot, source.dir);
        refused.push({
          file,
          location: v.code,
          code: 'code_reused_with_changes',
          message:
            `question code ${v.code} had other source wording, type or answer codes in version ${before.version}: ` +
            'give the changed question a new code, or declare the change in the module\'s "minorEdits"',
        });
      }
    }
    if (refused.length)
      throw diagnosticsError(
        `${id} reuses question codes for changed questions.`,
        refused,
        'code_reused_with_changes',
      );

    const latest = history[0];
    const diff = latest ? diffCodebooks(latest.codebook as unknown as Codebook, codebook) : null;
    const version = (latest?.version ?? 0) + 1;
    changelog.unshift({
      kind: 'published',
      note: diff
        ? `${diff.added.length} added, ${diff.removed.length} removed, ${diff.changed.length} changed since version ${latest!.version}`
        : 'first version',
    });
    await q.insertVersion(trx, {
      instrumentId: id,
      version,
      contentHash: compiled.contentHash,
      definition: compiled.definition,
      codebook,
      locales: compiled.locales,
      changelog,
      publishedBy: actor.kind === 'staff' ? (actor.id ?? null) : null,
    });
    await recordAudit(trx, {
      actor,
      action: 'instrument.version_published',
      subject: { kind: 'instrument', id },
      details: { version, contentHash: compiled.contentHash },
    });
    return { instrumentId: id, version, contentHash: compiled.contentHash, created: true, changelog, diff };
  });
}

export async function getVersion(db: Db, instrumentId: string, version: number | 'latest') {
  const row =
    version === 'latest'
      ? await q.findLatestVersion(db, instrumentId)
      : await q.findVersion(db, instrumentId, version);
  if (!row)
    throw new NotFoundError(`No version ${version} of instrument ${instrumentId}.`, 'version_not_found');
  // A language the review workflow approved since publication counts as approved (server/translations/service.ts).
  return { ...row, locales: await reviewedLocales(db, { instrumentId, version: row.version }, row.locales) };
}

export async function diffVersions(db: Db, instrumentId: string, a: number, b: number): Promise<VersionDiff> {
  if (a === b) throw new ConflictError('same_version', 'Compare two different versions.');
  const [va, vb] = await Promise.all([getVersion(db, instrumentId, a), getVersion(db, instrumentId, b)]);
  // Shown to staff, who read "i fjor" → "i [året før]" better than braces; a changed variable still shows.
  const marked = (v: typeof va) => codebookForYears(v.codebook as unknown as Codebook, null);
  return diffCodebooks(marked(va), marked(vb));
}
