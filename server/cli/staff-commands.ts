// `svar user create|list|disable` and `svar token create`.
import type { Command } from 'commander';
import { parseWith } from '../http/validate.ts';
import { newApiTokenSchema, newStaffUserSchema } from '../staff/schemas.ts';
import * as staff from '../staff/service.ts';
import { printResult } from './output.ts';
import { readLineFromStdin } from './stdin.ts';
import { withDatabase } from './with-database.ts';

const cli = { kind: 'cli' } as const;

export function registerStaffCommands(program: Command): void {
  const user = program.command('user').description('staff accounts (admin, analyst, municipality)');

  user
    .command('create')
    .description(
      'create a staff account; the password is read from stdin with --password-stdin, else generated',
    )
    .requiredOption('--email <email>', 'login e-mail')
    .requiredOption('--name <name>', 'display name')
    .requiredOption('--role <role>', 'admin | analyst | municipality | translator')
    .option('--municipality <code>', 'municipality (or Oslo district) code, for the municipality role')
    .option('--password-stdin', 'read the password from standard input')
    .option('--no-password', 'no password: the account can only use API tokens')
    .option('--json', 'print machine-readable JSON')
    .action(
      async (o: {
        email: string;
        name: string;
        role: string;
        municipality?: string;
        passwordStdin?: boolean;
        password: boolean;
        json?: boolean;
      }) => {
        let password: string | null = null;
        let generated = false;
        if (o.passwordStdin) password = await readLineFromStdin();
        else if (o.password) {
          password = (await import('node:crypto')).randomBytes(15).toString('base64url');
          generated = true;
        }
        const input = parseWith(
          newStaffUserSchema,
          {
            email: o.email,
            displayName: o.name,
            role: o.role,
            municipalityCode: o.municipality ?? null,
            password,
          },
          'account',
        );
        await withDatabase('require', async (h) => {
          const created = await staff.createStaffUser(h.db, input, cli);
          const shown = generated ? { generatedPassword: password } : {};
          printResult(!!o.json, { user: created, ...shown }, () =>
            [
              `Created ${created.role} ${created.email}`,
              ...(generated ? [`Password (shown once): ${password}`] : []),
            ].join('\n'),
          );
        });
      },
    );

  user
    .command('list')
    .description('list staff accounts')
    .option('--json', 'print machine-readable JSON')
    .action((o: { json?: boolean }) =>
      withDatabase('require', async (h) => {
        const users = await staff.listStaff(h.db);
        printResult(!!o.json, { users }, () =>
          users.length === 0
            ? 'No staff accounts.'
            : users
                .map(
                  (u) =>
                    `${u.email.padEnd(32)} ${u.role.padEnd(12)} ${u.municipalityCode ?? ''}${u.disabled ? ' (disabled)' : ''}`,
                )
                .join('\n'),
        );
      }),
    );

  user
    .command('disable <email>')
    .description('disable an account and end its sessions and API tokens')
    .option('--json', 'print machine-readable JSON')
    .action((email: string, o: { json?: boolean }) =>
      withDatabase('require', async (h) => {
        const u = await staff.disableStaffUser(h.db, email, cli, new Date());
        printResult(!!o.json, { user: u }, () => `Disabled ${u.email}`);
      }),
    );

  program
    .command('token')
    .description('API tokens for scripts')
    .command('create')
    .description('create an API token for a staff account (printed once; only its hash is stored)')
    .requiredOption('--email <email>', 'the account the token acts as')
    .requiredOption('--name <name>', 'what the token is for')
    .option('--expires-days <days>', 'expire after this many days')
    .option('--json', 'print machine-readable JSON')
    .action((o: { email: string; name: string; expiresDays?: string; json?: boolean }) => {
      const input = parseWith(
        newApiTokenSchema,
        { name: o.name, expiresInDays: o.expiresDays === undefined ? null : Number(o.expiresDays) },
        'token',
      );
      return withDatabase('require', async (h) => {
        const staffUserId = await staff.findStaffUserIdByEmail(h.db, o.email);
        const t = await staff.createApiToken(h.db, { staffUserId, ...input }, cli, new Date());
        printResult(!!o.json, t, () => `Token for ${t.user.email} (shown once):\n${t.token}`);
      });
    });
}
