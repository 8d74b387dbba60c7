/**
 * `gluon audit [--user U] [--since T] [--json]`: who did what, through which surface; `gluon audit verify`
 * checks the log's hash chain and exits 1 when it is broken.
 */
import type { Command } from 'commander';
import type { AuditEntryDto } from '../../../shared/team.js';
import type { CliContext } from '../context.js';
import { CommandFailure, UsageError } from '../errors.js';

const UNITS: Record<string, number> = { m: 60_000, h: 3_600_000, d: 86_400_000 };

/**
 * A `--since` value as an ISO time.
 * Rules: `30m`, `12h`, `7d` count back from `now`; an ISO date or time is taken as it is; else a usage error.
 */
export function sinceToIso(value: string, now = Date.now()): string {
  const rel = /^(\d{1,6})([mhd])$/.exec(value);
  if (rel) return new Date(now - Number(rel[1]) * UNITS[rel[2]!]!).toISOString();
  const t = Date.parse(value);
  if (!/^\d{4}-\d{2}-\d{2}/.test(value) || Number.isNaN(t))
    throw new UsageError(`invalid --since '${value}' (expected e.g. 2h, 7d or 2026-12-01)`);
  return new Date(t).toISOString();
}

/** One entry as a line: time, user@surface, outcome, action, target. */
export function auditLine(e: AuditEntryDto): string {
  const outcome = e.outcome === 'denied' ? 'DENIED ' : '';
  return `${e.seq}  ${e.ts}  ${e.user}@${e.surface}  ${outcome}${e.action}${e.target ? ` ${e.target}` : ''}`;
}

export function registerAudit(program: Command, ctx: CliContext): void {
  program
    .command('audit [verify]')
    .description('Show the audit log, or `audit verify` to check its hash chain (exit 1 when broken)')
    .option('--user <name>', 'only this user')
    .option('--since <time>', 'only since a time (2h, 7d, 2026-12-01)')
    .option('--json', 'print as JSON')
    .action(
      async (
        what: string | undefined,
        o: { user?: string; since?: string; json?: boolean },
        cmd: Command,
      ) => {
        if (what !== undefined && what !== 'verify') throw new UsageError(`unknown audit command '${what}'`);
        const since = o.since === undefined ? undefined : sinceToIso(o.since);
        const { client } = ctx.connect(cmd);
        if (what === 'verify') {
          const verdict = await client.verifyAudit();
          if (o.json) ctx.printJson(verdict);
          if (!verdict.ok)
            throw new CommandFailure(`the audit log is broken at row ${verdict.brokenAt}: ${verdict.reason}`);
          if (!o.json) ctx.out(`The audit log is intact (${verdict.rows} rows).`);
          return;
        }
        const entries = await client.audit({ user: o.user, since, limit: 5000 });
        if (o.json) return ctx.printJson(entries);
        for (const e of entries) ctx.out(auditLine(e));
      },
    );
}
