// `svar wave open --send`, `wave send` and `wave links` as a survey manager runs them: refused up front without
// SMTP, mail for units with an address and a list for the rest, a resume that finds nothing left, a list again.
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { backends, type TestDatabase } from '../helpers/databases.ts';
import { runSvar } from '../helpers/processes.ts';
import { type MisbehavingSmtp, startMisbehavingSmtp } from '../helpers/smtp.ts';
import { realPaths, type SurveyWorkspace, surveyWorkspace } from '../helpers/surveys.ts';

vi.setConfig({ testTimeout: 240_000 });

/** A loopback port nothing listens on: connecting to it is refused. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

// On PostgreSQL where the test cluster runs: each of the sixteen commands here is a process of its own, and an
// embedded database costs every one of them seconds to open (tests/cli covers the CLI on PGlite).
const postgres = backends().find((b) => b.name === 'postgres')!;

describe(`svar wave open --send, send and links on ${postgres.skip ? 'pglite' : 'postgres'}`, () => {
  let w: SurveyWorkspace;
  let dir: string;
  let env: Record<string, string>;
  let smtp: MisbehavingSmtp;
  let t: TestDatabase | undefined;
  beforeAll(async () => {
    w = surveyWorkspace();
    // The workspace holds the fixture's translations; mail texts come from the real locales.
    for (const l of ['nb', 'nn'])
      cpSync(join(realPaths.localesDir, l, 'mail.json'), join(w.localesDir, l, 'mail.json'));
    dir = mkdtempSync(join(tmpdir(), 'svar-send-cli-'));
    if (!postgres.skip) t = await postgres.open();
    env = {
      ...(t?.config.kind === 'postgres'
        ? { DATABASE_URL: t.config.url }
        : { SVAR_DATA_DIR: join(dir, 'data') }),
      SVAR_SURVEYS_DIR: w.surveysDir,
      SVAR_LOCALES_DIR: w.localesDir,
    };
    smtp = await startMisbehavingSmtp();
  });
  afterAll(async () => {
    await smtp.close();
    await t?.close();
    w.remove();
    rmSync(dir, { recursive: true, force: true });
  });

  it('mails units with an address, lists the others, and produces a round again', async () => {
    const svar = async (args: string[], extra: Record<string, string> = {}) => {
      const r = await runSvar([...args, '--json'], { ...env, ...extra });
      return { ...r, json: JSON.parse(r.stdout || 'null') };
    };
    expect((await runSvar(['surveys', 'publish'], env)).code).toBe(0);
    const id = (
      await svar([
        'wave',
        'create',
        '--instrument',
        'mini-survey',
        '--version',
        '1',
        '--name',
        'Mail',
        '--locales',
        'nb,nn',
      ])
    ).json.id as string;
    const frame = join(dir, 'frame.csv');
    writeFileSync(frame, 'external_id;email\na;a@example.no\nb;b@example.no\nc;\n');
    expect((await svar(['frame', 'import', id, frame])).code).toBe(0);

    const refused = await svar(['wave', 'open', id, '--send']);
    expect(refused.code).toBe(2);
    expect(refused.json.error.code).toBe('smtp_not_configured');
    expect((await svar(['wave', 'show', id])).json.status).toBe('draft');

    const mail = { SMTP_URL: smtp.url, SVAR_MAIL_RATE: '50' };
    const opened = await svar(['wave', 'open', id, '--send', '--rate', '20/s'], mail);
    expect(opened.code).toBe(0);
    expect(opened.json).toMatchObject({
      round: 1,
      links: 1,
      queued: 2,
      unlisted: 1,
      mail: { sent: 2, failed: 0 },
    });
    expect(opened.stderr).toContain('sent 2/2');
    expect(smtp.accepted.map((m) => m.to).sort()).toEqual(['a@example.no', 'b@example.no']);

    const resumed = await svar(['wave', 'send', id], mail);
    expect(resumed.json).toMatchObject({ sent: 0, queue: { sent: 2, pending: 0 } });
    expect((await svar(['wave', 'links', id])).json).toMatchObject([{ number: 1, kind: 'invitation' }]);

    const again = join(dir, 'again.csv');
    const relisted = await svar(['wave', 'links', id, '--round', '1', '--distribution-list', again]);
    expect(relisted.json).toMatchObject({ round: 1, links: 1, opened: 0 });
    const rows = readFileSync(again, 'utf8').trim().split('\n');
    expect(rows).toHaveLength(2);
    expect(rows[1]).toMatch(/^c;https?:\/\/[^;]+\/s\/[A-Za-z0-9_-]{43};/);
    // Written as FILE.partial page by page and renamed once the round committed.
    expect(existsSync(`${again}.partial`)).toBe(false);
  });

  it('fails plainly when the SMTP server cannot be reached, and a later send delivers the queue', async () => {
    const svar = (args: string[], extra: Record<string, string> = {}) => runSvar(args, { ...env, ...extra });
    const created = await svar([
      ...['wave', 'create', '--instrument', 'mini-survey', '--version', '1', '--name', 'Down'],
      ...['--locales', 'nb,nn', '--json'],
    ]);
    const id = JSON.parse(created.stdout).id as string;
    const frame = join(dir, 'down.csv');
    writeFileSync(frame, 'external_id;email\nx;x@example.no\ny;y@example.no\n');
    expect((await svar(['frame', 'import', id, frame])).code).toBe(0);
    // A retry a second later, not a minute: the resume below finds the mail due.
    const down = {
      SMTP_URL: `smtp://127.0.0.1:${await closedPort()}`,
      SVAR_MAIL_RATE: '50',
      SVAR_MAIL_RETRY_BASE_SECONDS: '1',
    };

    const opened = await svar(['wave', 'open', id, '--send'], down);
    expect(opened.code).toBe(1);
    expect(opened.stderr).toMatch(
      /^svar: Round 1 was issued; mail not sent: cannot reach the SMTP server at 127\.0\.0\.1:\d+ \(SMTP_URL\); 2 mail\(s\) wait in the queue: check SMTP_URL and the server, then `svar wave send [0-9a-f-]+` resumes\.$/m,
    );
    const sent = await svar(['wave', 'send', id, '--json'], down);
    expect(sent.code).toBe(1);
    expect(JSON.parse(sent.stdout).error.code).toBe('smtp_unreachable');
    expect(
      sent.stderr
        .trim()
        .split('\n')
        .filter((l) => l.startsWith('svar:')),
    ).toHaveLength(1);
    expect(sent.stderr).not.toMatch(/at .*\.ts:\d+/);

    const before = smtp.accepted.length;
    const resumed = await svar(['wave', 'send', id, '--json'], {
      SMTP_URL: smtp.url,
      SVAR_MAIL_RETRY_BASE_SECONDS: '1',
    });
    expect(resumed.code).toBe(0);
    expect(JSON.parse(resumed.stdout)).toMatchObject({ sent: 2, queue: { pending: 0 } });
    expect(
      smtp.accepted
        .slice(before)
        .map((m) => m.to)
        .sort(),
    ).toEqual(['x@example.no', 'y@example.no']);
  });
});
