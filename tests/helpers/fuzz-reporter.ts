// `npm run fuzz` closes with the cases that ran in all, per database and per endpoint group, summed over the fuzz
// files (each prints its own line; they run in separate workers, so the lines are the only shared record).
import type { Reporter } from 'vitest/node';

type UserConsoleLog = Parameters<NonNullable<Reporter['onUserConsoleLog']>>[0];

const line = /^fuzz on (\w+): \d+ cases \(group cases\/accepted: (.*)\)$/;

export default class FuzzReporter implements Reporter {
  private byGroup = new Map<string, { cases: number; accepted: number }>();
  private byDatabase = new Map<string, number>();

  onUserConsoleLog(log: UserConsoleLog) {
    const m = log.content.trim().match(line);
    if (!m) return;
    for (const part of m[2]!.split(', ')) {
      const [, group, cases, accepted] = part.match(/^(\S+) (\d+)\/(\d+)$/) ?? [];
      if (!group) continue;
      const g = this.byGroup.get(group) ?? { cases: 0, accepted: 0 };
      g.cases += Number(cases);
      g.accepted += Number(accepted);
      this.byGroup.set(group, g);
      this.byDatabase.set(m[1]!, (this.byDatabase.get(m[1]!) ?? 0) + Number(cases));
    }
  }

  onTestRunEnd() {
    const total = [...this.byDatabase.values()].reduce((a, b) => a + b, 0);
    const groups = [...this.byGroup]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([g, c]) => `  ${g.padEnd(20)} ${String(c.cases).padStart(8)} cases, ${c.accepted} accepted`);
    const databases = [...this.byDatabase].map(([d, n]) => `${d} ${n}`).join(', ');
    process.stdout.write(
      `\n[svar fuzz] ${total} cases in all (${databases}); by endpoint group:\n${groups.join('\n')}\n`,
    );
  }
}
