/**
 * `gluon user add|ls|role|password|link` and `gluon token create|ls|revoke`: people and their API tokens.
 * A new token is printed once, alone on stdout (so `$(gluon user add …)` captures it); notes go to stderr.
 */
import type { Command } from 'commander';
import { ROLE_NAMES, type RoleName, type UserDto } from '../../../shared/team.js';
import type { CliContext } from '../context.js';
import { UsageError } from '../errors.js';

function role(value: string): RoleName {
  if (!(ROLE_NAMES as readonly string[]).includes(value))
    throw new UsageError(`unknown role '${value}' (expected ${ROLE_NAMES.join(', ')})`);
  return value as RoleName;
}

const rolesText = (roles: UserDto['roles']) =>
  Object.entries(roles)
    .map(([ws, r]) => (ws === '*' ? `${r} everywhere` : `${r} in ${ws}`))
    .join(', ');

/** Reads a password from stdin (one line, without its newline). */
async function readPassword(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks)
    .toString('utf8')
    .replace(/\r?\n$/, '');
  if (!text) throw new UsageError('no password on stdin');
  return text;
}

export function registerUsers(program: Command, ctx: CliContext): void {
  const user = program.command('user').description('Manage users and their roles (admins)');
  user
    .command('add <name>')
    .description('Add a user; prints its first API token once, on its own line')
    .requiredOption('--role <role>', 'admin, operator or viewer', role)
    .option('--workspace <name>', 'the workspace the role holds in (default: every workspace)')
    .option('--password-stdin', 'read a password for web sign-in from stdin')
    .option('--json', 'print the new user and token as JSON')
    .action(
      async (
        name: string,
        o: { role: RoleName; workspace?: string; passwordStdin?: boolean; json?: boolean },
        cmd: Command,
      ) => {
        const password = o.passwordStdin ? await readPassword() : undefined;
        const { client } = ctx.connect(cmd);
        const created = await client.addUser({ name, role: o.role, workspace: o.workspace, password });
        if (o.json) return ctx.printJson(created);
        ctx.err(
          `Added user ${created.user.name}: ${rolesText(created.user.roles)}. Its API token (shown only this once):`,
        );
        ctx.out(created.token);
        if (created.firstUser)
          ctx.err(
            'This is the first user: Gluon leaves single-user mode. From now on every request acts as a user with its role; the installation token ($GLUON_HOME/token) stays an admin.',
          );
      },
    );
  user
    .command('ls')
    .description('List users and their roles')
    .option('--json', 'print the users as JSON')
    .action(async (o: { json?: boolean }, cmd: Command) => {
      const users = await ctx.connect(cmd).client.listUsers();
      if (o.json) return ctx.printJson(users);
      if (users.length === 0)
        return ctx.out('No users: single-user mode (the installation token does everything).');
      for (const u of users)
        ctx.out(`${u.name}  ${rolesText(u.roles)}${u.hasPassword ? '' : '  (no password)'}`);
    });
  user
    .command('role <name> <role>')
    .description("Set a user's role (in one workspace, or every one)")
    .option('--workspace <name>', 'the workspace (default: every workspace)')
    .action(async (name: string, r: string, o: { workspace?: string }, cmd: Command) => {
      const u = await ctx.connect(cmd).client.setRole(name, role(r), o.workspace);
      ctx.out(`${u.name}: ${rolesText(u.roles)}`);
    });
  user
    .command('password <name>')
    .description("Set a user's web sign-in password, read from stdin")
    .action(async (name: string, _o: unknown, cmd: Command) => {
      const password = await readPassword();
      await ctx.connect(cmd).client.setPassword(name, password);
      ctx.out(`Password of ${name} set.`);
    });
  user
    .command('link <name> <surface> <account>')
    .description('Link a Telegram or Discord account (numeric id) to a user: the bots then act as that user')
    .action(async (name: string, surface: string, account: string, _o: unknown, cmd: Command) => {
      if (surface !== 'telegram' && surface !== 'discord')
        throw new UsageError('surface must be telegram or discord');
      await ctx.connect(cmd).client.linkAccount(name, surface, account);
      ctx.out(`${surface} account ${account} now acts as ${name}.`);
    });

  const token = program.command('token').description('Manage API tokens (your own; admins: anyone’s)');
  token
    .command('create <label>')
    .description('Create an API token; prints it once, on its own line')
    .option('--user <name>', 'for another user (admins)')
    .action(async (label: string, o: { user?: string }, cmd: Command) => {
      const created = await ctx.connect(cmd).client.createToken(label, o.user);
      ctx.err(`Token ${created.id} for ${created.user} (shown only this once):`);
      ctx.out(created.token);
    });
  token
    .command('ls')
    .description('List API tokens (never the tokens themselves)')
    .option('--user <name>', "another user's (admins)")
    .option('--json', 'print the tokens as JSON')
    .action(async (o: { user?: string; json?: boolean }, cmd: Command) => {
      const tokens = await ctx.connect(cmd).client.listTokens(o.user);
      if (o.json) return ctx.printJson(tokens);
      for (const t of tokens)
        ctx.out(
          `${t.id}  ${t.user}  ${t.name}  ${t.createdAt}${t.revokedAt ? `  revoked ${t.revokedAt}` : ''}`,
        );
    });
  token
    .command('revoke <id>')
    .description('Revoke an API token')
    .action(async (id: string, _o: unknown, cmd: Command) => {
      await ctx.connect(cmd).client.revokeToken(id);
      ctx.out(`Token ${id} revoked.`);
    });
}
