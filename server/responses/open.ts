// Opening a survey by link: the pinned version, the offered languages, and what this link may see of the response
// (a participant and a chief executive: all of it; a delegate: its sections), with each answer's revision.
import type { Db } from '../db/connect.ts';
import { listLiveDelegations, toLiveDelegation } from '../delegation/queries.ts';
import { sectionMapFor } from '../delegation/sections.ts';
import { type SectionStatus, sectionStatuses } from '../delegation/status.ts';
import { municipalUnitName } from '../reference/municipalities.ts';
import { type WaveVariables, waveVariables } from '../surveys/wave-variables.ts';
import { type Link, resolveLink } from './links.ts';
import * as q from './queries.ts';
import { definitionInLanguage, definitionUrl } from './survey-definition.ts';
import { pick, readableCodes, referencedNames, revisionsOf, withPages } from './view.ts';

type Json = Record<string, unknown>;

function offeredLocales(link: Link) {
  const meta = new Map(link.versionLocales.map((l) => [l.locale, l]));
  return link.waveLocales.map((locale) => ({
    locale,
    name: meta.get(locale)?.name ?? locale,
    dir: meta.get(locale)?.dir ?? 'ltr',
  }));
}

/** The sections of a link's wave: those of the modules it runs (`modules` null: every module of the version). */
export function sectionMapOfLink(
  db: Db | Parameters<typeof q.findVersionDefinition>[0],
  versionId: string,
  modules: readonly string[] | null,
) {
  return sectionMapFor(versionId, () => q.findVersionDefinition(db, versionId), modules);
}

export interface SurveyView {
  instrumentId: string;
  version: number;
  status: 'in_progress' | 'completed';
  role: Link['role'];
  /** A submitted municipal response: shown, never changed. */
  readOnly: boolean;
  locale: string;
  dir: 'ltr' | 'rtl';
  locales: { locale: string; name: string; dir: 'ltr' | 'rtl' }[];
  /** The wave's years, for `{previousYear}` and the like in the texts: set as SurveyJS variables on the page. */
  variables: WaveVariables;
  /**
   * The modules the wave runs (null: all): the page shows only their pages. The definition itself stays the
   * version's, one cacheable document for every wave that pins it.
   */
  modules: string[] | null;
  definition: Json | null;
  /**
   * Asked for with `byUrl`: where the definition in `locale` is, cacheable for good (`definition` is then null,
   * except for a delegate, whose sections come inline in its language only).
   */
  definitionUrl: string | null;
  answers: Json;
  /** The revision of each answer this link may read: sent back as `bases` with a change (ADR 5). */
  revs: Record<string, number>;
  /** A delegate's read-only values of outside questions its conditions name; empty for everyone else. */
  context: Json;
  /** Municipal survey: every delegable section for the chief executive, a delegate's own for a delegate. */
  sections: SectionStatus[] | null;
  delegateId: string | null;
  /** Municipal survey: the municipality (or Oslo district) the response is for. */
  municipalityName: string | null;
  currentPage: string | null;
  savedAt: string | null;
}

/** What the survey page needs: the pinned version, the offered languages and the answers this link may see. */
export async function openSurvey(
  db: Db,
  token: string,
  opts: { now: Date; requested?: string | undefined; browser?: string | undefined; byUrl?: boolean },
): Promise<SurveyView> {
  const link = await resolveLink(db, token, opts.now);
  // Only the first open is recorded: a returning respondent's view writes nothing.
  if (link.invitationId && !link.opened) await q.markInvitationOpened(db, link.invitationId, opts.now);
  const response = await q.findResponse(db, link.frameUnitId);
  const locales = offeredLocales(link);
  const offered = locales.map((l) => l.locale);
  // The language asked for now, else the one last used (a delegate: its own), else the link's, else the
  // browser's, else bokmål.
  const lastUsed =
    link.role === 'delegate' ? response?.answer_meta[`$page:${link.by}`]?.locale : response?.locale;
  const pick1 = [opts.requested, lastUsed, link.linkLocale, opts.browser, 'nb', offered[0]].find(
    (l) => l && offered.includes(l),
  )!;
  const completed = response?.status === 'completed';
  const municipal = link.unitType === 'municipality';
  const base = {
    instrumentId: link.instrumentId,
    version: link.version,
    status: completed ? ('completed' as const) : ('in_progress' as const),
    role: link.role,
    locale: pick1,
    dir: locales.find((l) => l.locale === pick1)?.dir ?? 'ltr',
    locales,
    variables: waveVariables(link.referenceYear),
    modules: link.waveModules,
    delegateId: link.delegateId,
    savedAt: response?.last_saved_at?.toISOString() ?? null,
  };
  // After submission a participant's link shows only the thank-you page: the answers are not sent back.
  if (completed && !municipal) {
    return {
      ...base,
      readOnly: true,
      definition: null,
      definitionUrl: null,
      answers: {},
      revs: {},
      context: {},
      sections: null,
      municipalityName: null,
      currentPage: null,
    };
  }
  const byUrl = !!opts.byUrl && link.role !== 'delegate';
  // A participant's page fetches the definition from its own URL: this request does not even read it.
  const definition = byUrl ? null : await q.findVersionDefinition(db, link.versionId);
  const map = municipal ? await sectionMapOfLink(db, link.versionId, link.waveModules) : null;
  const codes = readableCodes(link, map);
  const stored = response?.answers ?? {};
  const meta = response?.answer_meta ?? {};
  const view = definition && link.role === 'delegate' ? withPages(definition, link.sections) : definition;
  const context =
    view && link.role === 'delegate'
      ? Object.fromEntries(
          [...referencedNames(view)].filter((n) => !codes?.has(n) && n in stored).map((n) => [n, stored[n]]),
        )
      : {};
  return {
    ...base,
    readOnly: completed,
    definition: view && opts.byUrl ? definitionInLanguage(view, pick1) : view,
    definitionUrl: byUrl ? definitionUrl(link.versionId, pick1) : null,
    answers: pick(stored, codes),
    revs: revisionsOf(meta, codes),
    context,
    sections: map ? await sectionsOfLink(db, link, map, stored) : null,
    municipalityName: municipal ? await unitName(db, link.frameUnitId) : null,
    currentPage: (link.role === 'delegate' ? meta[`$page:${link.by}`]?.page : response?.current_page) ?? null,
  };
}

async function unitName(db: Db, frameUnitId: string): Promise<string | null> {
  const unit = await q.findFrameUnitNaming(db, frameUnitId);
  return unit ? municipalUnitName(unit.municipality_code, unit.attributes) : null;
}

/** The section statuses a link sees: all of them, with the delegates' names, for the chief executive. */
export async function sectionsOfLink(
  db: Db | Parameters<typeof listLiveDelegations>[0],
  link: Link,
  map: Awaited<ReturnType<typeof sectionMapOfLink>>,
  answers: Json,
): Promise<SectionStatus[]> {
  const live = await listLiveDelegations(db, link.waveId, {
    frameUnitId: link.frameUnitId,
    withContact: link.role === 'chief_executive',
  });
  return sectionStatuses(
    map,
    answers,
    live.map(toLiveDelegation),
    link.role === 'delegate' ? { sections: link.sections } : {},
  );
}
