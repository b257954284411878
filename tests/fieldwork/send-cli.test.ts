// `svar wave open --send`, `wave send` and `wave links` as a survey manager runs them: refused up front without
// SMTP, mail for units with an address and a list for the rest, a resume that finds nothing left, a list again.
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { runSvar } from '../helpers/processes.ts';
import { type MisbehavingSmtp, startMisbehavingSmtp } from '../helpers/smtp.ts';
import { realPaths, type SurveyWorkspace, surveyWorkspace } from '../helpers/surveys.ts';

vi.setConfig({ testTimeout: 240_000 });

describe('svar wave open --send, send and links on pglite (an embedded data folder)', () => {
  let w: SurveyWorkspace;
  let dir: string;
  let env: Record<string, string>;
  let smtp: MisbehavingSmtp;
  beforeAll(async () => {
    w = surveyWorkspace();
    // The workspace holds the fixture's translations; mail texts come from the real locales.
    for (const l of ['nb', 'nn'])
      cpSync(join(realPaths.localesDir, l, 'mail.json'), join(w.localesDir, l, 'mail.json'));
    dir = mkdtempSync(join(tmpdir(), 'svar-send-cli-'));
    env = {
      SVAR_DATA_DIR: join(dir, 'data'),
      SVAR_SURVEYS_DIR: w.surveysDir,
      SVAR_LOCALES_DIR: w.localesDir,
    };
    smtp = await startMisbehavingSmtp();
  });
  afterAll(async () => {
    await smtp.close();
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
  });
});
