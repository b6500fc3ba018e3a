import { Command, CommanderError, Option } from 'commander';
import { ANONYMOUS, ROLES, type Role } from '../server/access/model.ts';
import { generatePassword } from '../server/access/passwords.ts';
import type { Runtime } from '../server/start.ts';

/** What the account commands need from the program (kept in main.ts). */
export interface CommandKit {
  withRuntime<T>(fn: (rt: Runtime) => Promise<T>): Promise<T>;
  table(rows: Record<string, unknown>[], cols: string[]): string;
  wholeNumber(command: string, option: string, value: string, min: number, max?: number): number;
  usageExit: number;
}

/** Reads a password from stdin (one line), for `--password-stdin`. */
async function readStdinPassword(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8').split(/\r?\n/)[0];
}

/** Who did it, on the audit trail: the operator at the command line. */
function cliActor(): string {
  return `cli:${process.env.USER ?? process.env.USERNAME ?? 'unknown'}`.slice(0, 64);
}

/**
 * `yitu users list|add|passwd|disable|enable` and `yitu tokens create`: account administration
 * from the command line (as the operator of the server, without signing in). Generated passwords
 * and new tokens are printed once on stdout; every change is on the audit trail as `cli:<os user>`.
 */
export function addAccountCommands(program: Command, kit: CommandKit): void {
  const usage = (msg: string) => new CommanderError(kit.usageExit, 'yitu.usage', msg);
  const record = (rt: Runtime, action: string, targetId: string, details: Record<string, unknown>) =>
    rt.services.audit.record({ principal: ANONYMOUS, actorName: cliActor(), action, targetType: 'user', targetId, details: { ...details, via: 'cli' } });

  const users = program.command('users').description('manage user accounts');

  users
    .command('list')
    .description('list users')
    .option('--q <text>', 'text in the user name, display name or e-mail')
    .option('--department <id>', 'only this department')
    .addOption(new Option('--role <role>', 'only this role').choices([...ROLES]))
    .option('--json', 'print JSON')
    .action(async (o: { q?: string; department?: string; role?: Role; json?: boolean }) => {
      await kit.withRuntime(async (rt) => {
        const r = await rt.services.accounts.listUsers({ ...(o.q ? { q: o.q } : {}), ...(o.department ? { department: o.department } : {}), ...(o.role ? { role: o.role } : {}), limit: 100_000 });
        if (o.json) return void process.stdout.write(`${JSON.stringify(r.users, null, 2)}\n`);
        const rows = r.users.map((u) => ({
          username: u.username,
          name: u.displayName,
          department: u.department ?? '',
          roles: u.roles.join(','),
          status: u.disabled ? 'disabled' : u.lockedUntil && Date.parse(u.lockedUntil) > Date.now() ? 'locked' : 'active',
          'last sign-in': u.lastSignInAt ?? '',
        }));
        process.stdout.write(`${kit.table(rows, ['username', 'name', 'department', 'roles', 'status', 'last sign-in'])}\n${r.total} users\n`);
      });
    });

  users
    .command('add <username>')
    .description('create a user; prints a generated one-time password unless --password-stdin')
    .addOption(new Option('--role <role...>', 'roles (repeat or list)').choices([...ROLES]).makeOptionMandatory())
    .option('--department <id>', 'department id')
    .option('--display-name <name>', 'name shown in the app')
    .option('--email <address>', 'e-mail')
    .option('--region <code...>', 'region codes the user is limited to (a town, a grid)')
    .option('--password-stdin', 'read the password from stdin instead of generating one')
    .action(async (username: string, o: { role: Role[]; department?: string; displayName?: string; email?: string; region?: string[]; passwordStdin?: boolean }) => {
      const given = o.passwordStdin ? await readStdinPassword() : undefined;
      await kit.withRuntime(async (rt) => {
        const { accounts } = rt.services;
        const password = given ?? generatePassword();
        const user = await accounts.createUser({
          username,
          roles: o.role,
          department: o.department ?? null,
          ...(o.displayName ? { displayName: o.displayName } : {}),
          ...(o.email ? { email: o.email } : {}),
          ...(o.region ? { regionCodes: o.region } : {}),
          password,
          skipRules: given === undefined,
          mustChangePassword: given === undefined,
        });
        await record(rt, 'user.create', user.id, { username, roles: user.roles, department: user.department });
        process.stdout.write(`Created user ${username} (${user.roles.join(', ') || 'no role'}${user.department ? `, ${user.department}` : ''}).\n`);
        if (given === undefined) process.stdout.write(`One-time password (shown once; to change at the first sign-in): ${password}\n`);
      });
    });

  users
    .command('passwd <username>')
    .description('set a new password: generated and printed once (to change at the next sign-in), or from stdin')
    .option('--password-stdin', 'read the password from stdin instead of generating one')
    .action(async (username: string, o: { passwordStdin?: boolean }) => {
      const given = o.passwordStdin ? await readStdinPassword() : undefined;
      await kit.withRuntime(async (rt) => {
        const user = await rt.services.accounts.getByUsername(username);
        const password = await rt.services.accounts.setPassword(user.id, given === undefined ? { mustChange: true } : { password: given, mustChange: false });
        await record(rt, 'user.password_reset', user.id, { username });
        process.stdout.write(`The password of ${username} is changed; their sessions are ended.\n`);
        if (given === undefined) process.stdout.write(`One-time password (shown once; to change at the next sign-in): ${password}\n`);
      });
    });

  for (const [verb, disabled] of [['disable', true], ['enable', false]] as const) {
    users
      .command(`${verb} <username>`)
      .description(disabled ? 'disable a user: sessions end, tokens stop working' : 'enable a disabled user (and lift a lock)')
      .action(async (username: string) => {
        await kit.withRuntime(async (rt) => {
          const user = await rt.services.accounts.getByUsername(username);
          await rt.services.accounts.updateUser(user.id, { disabled });
          await record(rt, 'user.update', user.id, { username, changed: { disabled: { from: user.disabled, to: disabled } } });
          process.stdout.write(`User ${username} is ${disabled ? 'disabled' : 'enabled'}.\n`);
        });
      });
  }

  program
    .command('tokens')
    .description('manage API tokens')
    .command('create')
    .description('create an API token for a user; prints it once')
    .requiredOption('--user <username>', 'whose token')
    .requiredOption('--name <label>', 'what it is for')
    .option('--days <n>', 'days until it expires (default: never)')
    .action(async (o: { user: string; name: string; days?: string }) => {
      const days = o.days === undefined ? null : kit.wholeNumber('tokens create', '--days', o.days, 1, 3650);
      if (!o.name.trim() || o.name.length > 100) throw usage('yitu tokens create: --name must be 1–100 characters.');
      await kit.withRuntime(async (rt) => {
        const user = await rt.services.accounts.getByUsername(o.user);
        const t = await rt.services.accounts.createToken(user.id, o.name.trim(), days);
        await rt.services.audit.record({ principal: ANONYMOUS, actorName: cliActor(), action: 'token.create', targetType: 'token', targetId: t.id, details: { user: o.user, name: t.name, expiresAt: t.expiresAt, via: 'cli' } });
        process.stderr.write(`API token "${t.name}" for ${o.user} (${t.expiresAt ? `expires ${t.expiresAt}` : 'no expiry'}); shown once — send it as "Authorization: Bearer <token>":\n`);
        process.stdout.write(`${t.token}\n`);
      });
    });
}
