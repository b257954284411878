// Closes the test run with what CI and people need to see: on which databases the integration suites ran,
// what was skipped, and one plain "N passed, N failed" line.
import type { Reporter, TestModule } from 'vitest/node';

export default class BackendSummaryReporter implements Reporter {
  onTestRunEnd(modules: ReadonlyArray<TestModule>) {
    const totals = { passed: 0, failed: 0, skipped: 0 };
    const byBackend = new Map<string, { passed: number; failed: number; skipped: number }>();
    for (const m of modules) {
      for (const test of m.children.allTests()) {
        const state = test.result().state;
        const key = state === 'passed' ? 'passed' : state === 'failed' ? 'failed' : 'skipped';
        totals[key] += 1;
        const backend = test.fullName.match(/\bon '?(pglite|postgres)\b/)?.[1];
        if (backend) {
          const b = byBackend.get(backend) ?? { passed: 0, failed: 0, skipped: 0 };
          b[key] += 1;
          byBackend.set(backend, b);
        }
      }
      // A module that failed to load has no tests but must still count as a failure.
      if (m.state() === 'failed' && [...m.children.allTests()].length === 0) totals.failed += 1;
    }
    const lines = [...byBackend].map(
      ([name, b]) => `  ${name.padEnd(9)} ${b.passed} passed, ${b.failed} failed, ${b.skipped} skipped`,
    );
    const skippedBackends = [...byBackend].filter(([, b]) => b.passed + b.failed === 0).map(([n]) => n);
    process.stdout.write(`\n[svar tests] integration suites by database:\n${lines.join('\n')}\n`);
    if (skippedBackends.length) {
      process.stdout.write(
        `[svar tests] SKIPPED on ${skippedBackends.join(', ')}: install what they need with \`npm run setup:system\`\n`,
      );
    }
    process.stdout.write(`${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped\n`);
  }
}
