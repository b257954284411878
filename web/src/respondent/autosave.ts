// Autosave with an outbox: every change goes to localStorage at once and to the server shortly after, in order.
// Offline, changes wait in the outbox (surviving a closed tab) and are sent when the connection returns.
// Each changed answer carries the server revision this page last saw of it (its base, ADR 5), kept in the outbox
// too: a reload never silently overwrites an answer someone else saved meanwhile; the server answers 409 instead.
import { type AnswerConflict, ApiProblem, beaconSave, type SaveBody, saveAnswers } from './api.ts';
import { deviceId, nextSaveSeq, type Outbox, readOutbox, writeOutbox } from './outbox.ts';

export type SaveState = 'idle' | 'saving' | 'saved' | 'failed' | 'offline' | 'conflict';

export interface AutosaveEvents {
  state(s: SaveState): void;
  /** The response was submitted (by this page elsewhere, or by the chief executive). */
  completedElsewhere(): void;
  /** The questions someone else changed first, still waiting for this person to choose. */
  conflicts(list: AnswerConflict[]): void;
  /**
   * The server refused answers outside this link's sections (403: delegated elsewhere, or taken back). The page
   * loads its sections again and calls retain(); until then those answers are not sent again.
   */
  outOfScope(): void;
}

const debounceMs = 600;
const maxBackoffMs = 30_000;
const scopeProblems = new Set(['outside_delegation', 'section_delegated']);

export class Autosave {
  private outbox: Outbox;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private inFlight = false;
  private backoff = 1000;
  /** The revision of each answer as last seen from the server (GET, save results, a chosen conflict). */
  private seen: Record<string, number> = {};
  private open = new Map<string, AnswerConflict>();
  private paused = false;
  private readonly device = deviceId();

  constructor(
    private readonly token: string,
    private readonly on: AutosaveEvents,
  ) {
    this.outbox = readOutbox(token);
    window.addEventListener('online', () => this.flush());
    window.addEventListener('offline', () => this.on.state('offline'));
    // Closing the tab: try to send; whatever does not arrive is still in the outbox for next time.
    window.addEventListener('pagehide', () => {
      if (!this.paused && this.hasSendable()) beaconSave(this.token, this.body());
    });
  }

  private write() {
    writeOutbox(this.token, this.hasPending() ? this.outbox : null);
  }

  /** Remembers the server's revisions of answers (from the GET or a refresh). */
  see(revs: Record<string, number>) {
    Object.assign(this.seen, revs);
  }

  /** Changes typed before a reload or a lost connection, not yet confirmed by the server. */
  pendingAnswers(): Record<string, unknown> {
    return { ...this.outbox.answers };
  }

  pendingPage(): string | null | undefined {
    return this.outbox.page;
  }

  hasPending() {
    return (
      Object.keys(this.outbox.answers).length > 0 ||
      this.outbox.page !== undefined ||
      this.outbox.locale !== undefined
    );
  }

  hasConflicts() {
    return this.open.size > 0;
  }

  private sendableCodes() {
    return Object.keys(this.outbox.answers).filter((c) => !this.open.has(c));
  }

  private hasSendable() {
    return (
      this.sendableCodes().length > 0 || this.outbox.page !== undefined || this.outbox.locale !== undefined
    );
  }

  change(code: string, value: unknown) {
    // The base is what this page saw before its first change; later changes of the same answer keep it.
    if (!(code in this.outbox.bases)) this.outbox.bases[code] = this.seen[code] ?? 0;
    this.outbox.answers[code] = value === undefined ? null : value;
    this.touch();
    this.schedule();
  }

  page(name: string, locale: string) {
    this.outbox.page = name;
    this.outbox.locale = locale;
    this.touch();
    void this.flush();
  }

  locale(locale: string) {
    this.outbox.locale = locale;
    this.touch();
    this.schedule();
  }

  private touch() {
    // Still sent for older servers; the order of saves is the server's revisions, not this clock.
    this.outbox.clientTime = Math.max(Date.now(), this.outbox.clientTime + 1);
    this.write();
  }

  /** Save mine over theirs: the same value again, now based on the revision the other person saved. */
  keepMine(code: string) {
    const conflict = this.open.get(code);
    if (!conflict) return;
    this.outbox.bases[code] = conflict.rev;
    this.resolved(code);
  }

  /** Take theirs: forget this page's change (the page shows their value without saving it again). */
  takeTheirs(code: string) {
    const conflict = this.open.get(code);
    if (!conflict) return;
    this.seen[code] = conflict.rev;
    this.forgetAnswer(code);
    this.resolved(code);
  }

  private resolved(code: string) {
    this.open.delete(code);
    this.write();
    this.on.conflicts([...this.open.values()]);
    void this.flush();
  }

  /** Drops answers this link can never save (sections delegated elsewhere or taken back). */
  drop(codes: string[]) {
    for (const code of codes) {
      this.forgetAnswer(code);
      this.open.delete(code);
    }
    this.write();
    this.on.conflicts([...this.open.values()]);
  }

  /** Keeps only the answers this link may still write (after its sections changed), and sends them. */
  retain(writable: (code: string) => boolean) {
    const gone = Object.keys(this.outbox.answers).filter((c) => !writable(c));
    this.drop(gone);
    this.paused = false;
    // Nothing to drop means the sections changed back meanwhile: try again, but not in a tight loop.
    if (gone.length) void this.flush();
    else this.schedule(this.backoff);
  }

  private forgetAnswer(code: string) {
    delete this.outbox.answers[code];
    delete this.outbox.bases[code];
  }

  private schedule(delay = debounceMs) {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.flush(), delay);
  }

  private body(): SaveBody {
    const codes = this.sendableCodes();
    return {
      answers: Object.fromEntries(codes.map((c) => [c, this.outbox.answers[c]])),
      bases: Object.fromEntries(codes.map((c) => [c, this.outbox.bases[c] ?? 0])),
      device: this.device,
      seq: nextSaveSeq(),
      clientTime: this.outbox.clientTime || Date.now(),
      ...(this.outbox.page !== undefined ? { page: this.outbox.page } : {}),
      ...(this.outbox.locale ? { locale: this.outbox.locale } : {}),
    };
  }

  /** Sends the outbox; resolves true when nothing is left to send (no answer waiting for a choice either). */
  async flush(): Promise<boolean> {
    clearTimeout(this.timer);
    if (this.paused || !this.hasSendable()) return !this.hasPending();
    if (this.inFlight) {
      this.schedule();
      return false;
    }
    if (!navigator.onLine) {
      this.on.state('offline');
      return false;
    }
    this.inFlight = true;
    this.on.state('saving');
    const sent = this.body();
    try {
      const result = await saveAnswers(this.token, sent);
      this.confirm(sent, result.revs ?? {});
      this.backoff = 1000;
      this.on.state(this.open.size ? 'conflict' : 'saved');
    } catch (err) {
      return this.failed(err);
    } finally {
      this.inFlight = false;
    }
    if (this.hasSendable()) this.schedule();
    return !this.hasPending();
  }

  /** Removes only what was sent and has not changed since; what changed since is now based on our own save. */
  private confirm(sent: SaveBody, revs: Record<string, number>) {
    for (const [code, value] of Object.entries(sent.answers)) {
      const rev = revs[code];
      if (rev !== undefined) this.seen[code] = rev;
      if (JSON.stringify(this.outbox.answers[code]) === JSON.stringify(value)) this.forgetAnswer(code);
      else if (rev !== undefined) this.outbox.bases[code] = rev;
    }
    if (this.outbox.page === sent.page) delete this.outbox.page;
    if (this.outbox.locale === sent.locale) delete this.outbox.locale;
    this.write();
  }

  private failed(err: unknown): boolean {
    const problem = err instanceof ApiProblem ? err.problem : null;
    if (problem?.code === 'response_completed') {
      this.forget();
      this.on.completedElsewhere();
      return true;
    }
    if (problem?.code === 'answer_conflict' && problem.conflicts?.length) {
      // Nothing of that save was stored: the rest goes again at once, the conflicting answers wait for a choice.
      for (const c of problem.conflicts) if (c.code in this.outbox.answers) this.open.set(c.code, c);
      this.write();
      this.on.conflicts([...this.open.values()]);
      this.on.state('conflict');
      if (this.hasSendable()) this.schedule(0);
      return false;
    }
    if (problem && scopeProblems.has(problem.code)) {
      this.paused = true;
      this.on.state('idle');
      this.on.outOfScope();
      return false;
    }
    // Values the server can never accept would block every later save: drop them, keep the rest.
    if (problem?.code === 'invalid_answers') this.drop((problem.invalid_params ?? []).map((p) => p.name));
    this.on.state(navigator.onLine ? 'failed' : 'offline');
    this.schedule(this.backoff);
    this.backoff = Math.min(this.backoff * 2, maxBackoffMs);
    return false;
  }

  forget() {
    clearTimeout(this.timer);
    writeOutbox(this.token, null);
    this.open.clear();
    this.outbox = { answers: {}, bases: {}, clientTime: this.outbox.clientTime };
  }
}
