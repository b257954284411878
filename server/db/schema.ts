// The one Kysely Database interface for the whole schema (tables come from migrations/).
import type { ColumnType, Generated, Insertable, JSONColumnType, Selectable } from 'kysely';

type CreatedAt = Generated<Date>;
type Nullable<T> = ColumnType<T | null, T | null | undefined, T | null>;

export type StaffRole = 'admin' | 'analyst' | 'municipality' | 'translator';

export interface StaffUserTable {
  id: Generated<string>;
  email: string;
  display_name: string;
  role: StaffRole;
  municipality_code: Nullable<string>;
  password_hash: Nullable<string>;
  disabled_at: Nullable<Date>;
  created_at: CreatedAt;
}

export interface StaffSessionTable {
  token_hash: string;
  staff_user_id: string;
  csrf_token: string;
  created_at: CreatedAt;
  last_seen_at: Generated<Date>;
  expires_at: Date;
}

/** Failed-login counters per time window (migrations/20261203T173000-login-throttle.ts). */
export interface LoginThrottleTable {
  scope: 'account' | 'source' | 'unknown_email';
  key: string;
  window_started_at: Date;
  attempts: number;
}

export interface ApiTokenTable {
  id: Generated<string>;
  token_hash: string;
  staff_user_id: string;
  name: string;
  created_at: CreatedAt;
  expires_at: Nullable<Date>;
  last_used_at: Nullable<Date>;
  revoked_at: Nullable<Date>;
}

export interface InstrumentTable {
  id: string;
  title: string;
  unit_type: 'participant' | 'municipality';
  source_locale: string;
  created_at: CreatedAt;
}

/** A language of a published version, as the compiler records it. */
export interface VersionLocale {
  locale: string;
  /** The language's name in itself. */
  name: string;
  dir: 'ltr' | 'rtl';
  /** The source language (bokmål). */
  source: boolean;
  /** Every string present and current. */
  complete: boolean;
  status: 'source' | 'draft' | 'reviewed' | 'approved' | 'incomplete';
}

export interface InstrumentVersionTable {
  id: Generated<string>;
  instrument_id: string;
  version: number;
  content_hash: string;
  definition: JSONColumnType<Record<string, unknown>>;
  codebook: JSONColumnType<Record<string, unknown>, string | null, string | null> | null;
  locales: JSONColumnType<VersionLocale[], string | undefined, string>;
  changelog: JSONColumnType<unknown[], string | undefined, string>;
  published_at: CreatedAt;
  published_by: Nullable<string>;
}

export interface WaveTable {
  id: Generated<string>;
  instrument_id: string;
  instrument_version_id: string;
  name: string;
  mode: 'census' | 'sample';
  unit_type: 'participant' | 'municipality';
  status: Generated<'draft' | 'open' | 'closed'>;
  locales: string[];
  opens_at: Nullable<Date>;
  closes_at: Nullable<Date>;
  sampling: JSONColumnType<Record<string, unknown>, string | null, string | null> | null;
  created_at: CreatedAt;
  opened_at: Nullable<Date>;
  closed_at: Nullable<Date>;
  allow_draft_locales: Generated<boolean>;
  /** Small-cell threshold K for aggregates shown to municipality users (ADR 6). */
  small_cell_k: Generated<number>;
  /** Set at close: the non-response adjustment classes, where empty ones went, and the weight sum against N. */
  nonresponse_adjustment: JSONColumnType<Record<string, unknown>, string | null, string | null> | null;
  /** The modules the wave runs (core + its year's themes); null: every module (migrations/…-wave-modules.ts). */
  modules: Nullable<string[]>;
  /**
   * The plan year the themes came from when the wave has no opening date and no themes chosen by hand: opening it
   * in another year takes that year's plan (migrations/…-wave-modules-year.ts).
   */
  modules_year: Nullable<number>;
}

export interface FrameUnitTable {
  id: Generated<string>;
  wave_id: string;
  external_id: string;
  municipality_code: Nullable<string>;
  preferred_locale: Nullable<string>;
  attributes: JSONColumnType<Record<string, string>, string | undefined, string>;
  selected: Generated<boolean>;
  stratum: Nullable<string>;
  inclusion_probability: Nullable<number>;
  design_weight: Nullable<number>;
  created_at: CreatedAt;
  opted_out_at: Nullable<Date>;
  /** What the unit's links say, kept by triggers on invitation (migration frame-unit-progress): read by progress. */
  invited: Generated<boolean>;
  link_opened: Generated<boolean>;
  /** The language of the unit's live invitation link (not a reminder's). */
  invited_locale: Nullable<string>;
}

export interface UnitContactTable {
  frame_unit_id: string;
  name: Nullable<string>;
  email: Nullable<string>;
  phone: Nullable<string>;
  updated_at: Generated<Date>;
}

export interface InvitationTable {
  id: Generated<string>;
  wave_id: string;
  frame_unit_id: string;
  token_hash: string;
  locale: Nullable<string>;
  created_at: CreatedAt;
  opened_at: Nullable<Date>;
  opted_out_at: Nullable<Date>;
  revoked_at: Nullable<Date>;
  purpose: Generated<'invitation' | 'reminder' | 'reissue'>;
  /** The wave round the link was issued in; null for a reissued link. */
  round: Nullable<number>;
}

/**
 * Who set an answer, when (server time) and at which revision (ADR 5). `by` is `respondent`, `chief_executive` or
 * `delegate:<delegate id>`, never a name or an address. Answers stored before revisions existed carry `seq` only.
 */
export interface AnswerMeta {
  by: string;
  /** The writing page's device id, when it sent one. */
  dev?: string;
  at: string;
  rev?: number;
  seq?: number;
  /** On the page keys (`$page`, `$page:<by>`): the page that writer is on. */
  page?: string | null;
  /** On the page keys: the language that writer last used. */
  locale?: string;
}

export interface ResponseTable {
  id: Generated<string>;
  wave_id: string;
  frame_unit_id: string;
  instrument_version_id: string;
  locale: string;
  status: Generated<'in_progress' | 'completed'>;
  answers: JSONColumnType<Record<string, unknown>, string | undefined, string>;
  answer_meta: JSONColumnType<Record<string, AnswerMeta>, string | undefined, string>;
  current_page: Nullable<string>;
  started_at: CreatedAt;
  updated_at: Generated<Date>;
  completed_at: Nullable<Date>;
  nonresponse_weight: Nullable<number>;
  locales_used: Generated<string[]>;
  device_class: Nullable<string>;
  last_saved_at: Nullable<Date>;
}

export interface DelegateTable {
  id: Generated<string>;
  wave_id: string;
  frame_unit_id: string;
  token_hash: string;
  locale: string;
  created_at: CreatedAt;
  revoked_at: Nullable<Date>;
}

export interface DelegateContactTable {
  delegate_id: string;
  name: Nullable<string>;
  email: Nullable<string>;
}

export interface DelegationTable {
  id: Generated<string>;
  wave_id: string;
  frame_unit_id: string;
  /** The name of a delegable page of the pinned version. */
  section: string;
  delegate_id: string;
  created_at: CreatedAt;
  done_at: Nullable<Date>;
  ended_at: Nullable<Date>;
  ended_reason: Nullable<'redelegated' | 'taken_back'>;
}

export type AuditActorKind = 'staff' | 'cli' | 'system' | 'respondent';

export interface AuditEventTable {
  id: ColumnType<string, never, never>;
  occurred_at: CreatedAt;
  actor_kind: AuditActorKind;
  actor_id: Nullable<string>;
  action: string;
  subject_kind: Nullable<string>;
  subject_id: Nullable<string>;
  details: JSONColumnType<Record<string, unknown>, string | undefined, never>;
  request_id: Nullable<string>;
}

export interface MailLogTable {
  id: ColumnType<string, never, never>;
  wave_id: string;
  frame_unit_id: string;
  kind: 'invitation' | 'reminder';
  locale: string;
  status: 'sent' | 'failed';
  message_id: Nullable<string>;
  /** A class from send-errors.ts, never the SMTP text (which echoes the address). */
  error_class: Nullable<string>;
  smtp_code: Nullable<number>;
  round: Nullable<number>;
  sent_at: Generated<Date>;
}

export type RoundKind = 'invitation' | 'reminder';

export interface WaveRoundTable {
  wave_id: string;
  number: number;
  kind: RoundKind;
  created_at: CreatedAt;
}

export type MailQueueStatus = 'pending' | 'sending' | 'sent' | 'failed' | 'skipped';

export interface MailQueueTable {
  id: ColumnType<string, never, never>;
  wave_id: string;
  round: number;
  frame_unit_id: string;
  kind: RoundKind;
  locale: Nullable<string>;
  status: Generated<MailQueueStatus>;
  attempts: Generated<number>;
  next_attempt_at: Generated<Date>;
  invitation_id: Nullable<string>;
  error_class: Nullable<string>;
  smtp_code: Nullable<number>;
  created_at: CreatedAt;
  updated_at: Generated<Date>;
  sent_at: Nullable<Date>;
}

export interface MailSendLeaseTable {
  wave_id: string;
  holder: string;
  expires_at: Date;
}

export interface Database {
  staff_user: StaffUserTable;
  staff_session: StaffSessionTable;
  login_throttle: LoginThrottleTable;
  api_token: ApiTokenTable;
  instrument: InstrumentTable;
  instrument_version: InstrumentVersionTable;
  wave: WaveTable;
  frame_unit: FrameUnitTable;
  unit_contact: UnitContactTable;
  invitation: InvitationTable;
  response: ResponseTable;
  audit_event: AuditEventTable;
  mail_log: MailLogTable;
  wave_round: WaveRoundTable;
  mail_queue: MailQueueTable;
  mail_send_lease: MailSendLeaseTable;
  delegate: DelegateTable;
  delegate_contact: DelegateContactTable;
  delegation: DelegationTable;
  translation_string: TranslationStringTable;
  translation_event: TranslationEventTable;
  translation_comment: TranslationCommentTable;
}

/** The working translation of one string (migrations/20261203T190000-translation-review.ts). */
export interface TranslationStringTable {
  instrument_id: string;
  locale: string;
  key: string;
  source_hash: string;
  text: string;
  status: 'draft' | 'reviewed' | 'approved';
  edited_by: string | null;
  updated_at: Generated<Date>;
}

export interface TranslationEventTable {
  id: Generated<string>;
  instrument_id: string;
  locale: string;
  key: string;
  version: number;
  action: 'edited' | 'imported' | 'status';
  status: 'draft' | 'reviewed' | 'approved';
  text: string | null;
  staff_user_id: string;
  at: Generated<Date>;
}

export interface TranslationCommentTable {
  id: Generated<string>;
  instrument_id: string;
  locale: string;
  key: string;
  version: number;
  staff_user_id: string;
  body: string;
  created_at: Generated<Date>;
}

export type StaffUser = Selectable<StaffUserTable>;
export type NewAuditEvent = Insertable<AuditEventTable>;
