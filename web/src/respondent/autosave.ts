// Autosave with an outbox: every change goes to localStorage at once and to the server shortly after, in order.
// Offline, changes wait in the outbox (surviving a closed tab) and are sent when the connection returns.
import { ApiProblem, beaconSave, type SaveBody, saveAnswers } from './api.ts';

export type SaveState = 'idle' | 'saving' | 'saved' | 'failed' | 'offline';

interface Outbox {
  answers: Record<string, unknown>;
  page?: string | null;
  locale?: string;
  clientTime: number;
}

const debounceMs = 600;
const maxBackoffMs = 30_000;

export class Autosave {
  private outbox: Outbox;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private inFlight = false;
  private backoff = 1000;
  private lastTime = 0;

  constructor(
    private readonly token: string,
    private readonly onState: (s: SaveState) => void,
    private readonly onCompletedElsewhere: () => void,
  ) {
    this.outbox = this.read() ?? { answers: {}, clientTime: 0 };
    window.addEventListener('online', () => this.flush());
    window.addEventListener('offline', () => this.onState('offline'));
    // Closing the tab: try to send; whatever does not arrive is still in the outbox for next time.
    window.addEventListener('pagehide', () => {
      if (this.hasPending()) beaconSave(this.token, this.body());
    });
  }

  private get key() {
    return `svar:outbox:${this.token.slice(0, 12)}`;
  }

  private read(): Outbox | null {
    try {
      return JSON.parse(localStorage.getItem(this.key) ?? 'null') as Outbox | null;
    } catch {
      return null;
    }
  }

  private write() {
    if (this.hasPending()) localStorage.setItem(this.key, JSON.stringify(this.outbox));
    else localStorage.removeItem(this.key);
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

  /** A strictly increasing client time, so the server can order saves from this page. */
  private tick() {
    this.lastTime = Math.max(Date.now(), this.lastTime + 1, this.outbox.clientTime + 1);
    return this.lastTime;
  }

  change(code: string, value: unknown) {
    this.outbox.answers[code] = value === undefined ? null : value;
    this.outbox.clientTime = this.tick();
    this.write();
    this.schedule();
  }

  page(name: string, locale: string) {
    this.outbox.page = name;
    this.outbox.locale = locale;
    this.outbox.clientTime = this.tick();
    this.write();
    void this.flush();
  }

  locale(locale: string) {
    this.outbox.locale = locale;
    this.outbox.clientTime = this.tick();
    this.write();
    this.schedule();
  }

  private schedule(delay = debounceMs) {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.flush(), delay);
  }

  private body(): SaveBody {
    return {
      answers: this.outbox.answers,
      clientTime: this.outbox.clientTime || this.tick(),
      ...(this.outbox.page !== undefined ? { page: this.outbox.page } : {}),
      ...(this.outbox.locale ? { locale: this.outbox.locale } : {}),
    };
  }

  /** Sends the outbox; resolves true when nothing is left to send. */
  async flush(): Promise<boolean> {
    clearTimeout(this.timer);
    if (!this.hasPending()) return true;
    if (this.inFlight) {
      this.schedule();
      return false;
    }
    if (!navigator.onLine) {
      this.onState('offline');
      return false;
    }
    this.inFlight = true;
    this.onState('saving');
    const sent = structuredClone(this.outbox);
    try {
      await saveAnswers(this.token, this.body());
      // Remove only what was sent and has not changed since.
      for (const [code, value] of Object.entries(sent.answers)) {
        if (JSON.stringify(this.outbox.answers[code]) === JSON.stringify(value))
          delete this.outbox.answers[code];
      }
      if (this.outbox.page === sent.page) delete this.outbox.page;
      if (this.outbox.locale === sent.locale) delete this.outbox.locale;
      this.write();
      this.backoff = 1000;
      this.onState('saved');
    } catch (err) {
      if (err instanceof ApiProblem && err.problem.code === 'response_completed') {
        localStorage.removeItem(this.key);
        this.onCompletedElsewhere();
        return true;
      }
      // Values the server can never accept would block every later save: drop them, keep the rest.
      if (err instanceof ApiProblem && err.problem.code === 'invalid_answers') {
        for (const p of err.problem.invalid_params ?? []) delete this.outbox.answers[p.name];
        this.write();
      }
      this.onState(navigator.onLine ? 'failed' : 'offline');
      this.schedule(this.backoff);
      this.backoff = Math.min(this.backoff * 2, maxBackoffMs);
      return false;
    } finally {
      this.inFlight = false;
    }
    if (this.hasPending()) this.schedule();
    return !this.hasPending();
  }

  forget() {
    localStorage.removeItem(this.key);
    this.outbox = { answers: {}, clientTime: this.outbox.clientTime };
  }
}
