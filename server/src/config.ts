/**
 * Server configuration: defaults, then `$GLUON_HOME/config.json`, then environment variables. Every number
 * the product names is a default here that the user can change. Sections of their own: agent-config.ts,
 * fleet-config.ts, team-config.ts (OIDC), observability-config.ts, intake-config.ts.
 */
import { existsSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import { DEFAULT_PORT, type AgentName, type Profile } from '../../shared/api.js';
import { agentChoiceSchema, codexSchema, modelsSchema, sandboxSchema } from './agent-config.js';
import { fleetSchema } from './fleet-config.js';
import { intakeSchema } from './intake-config.js';
import { metricsSchema, telemetrySchema } from './observability-config.js';
import { oidcSchema } from './team-config.js';

const configSchema = z.object({
  host: z.string().default('127.0.0.1'),
  port: z.number().int().min(0).max(65535).default(DEFAULT_PORT),
  /** Hosts (besides loopback names) accepted in `Host`/`Origin`, e.g. a LAN name when bound with auth. */
  allowedHosts: z.array(z.string()).default([]),
  maxConcurrentTasks: z.number().int().min(1).max(64).default(4),
  models: modelsSchema,
  /** Environment variables passed to agents besides the built-in allowlist (names, not values). */
  agentEnv: z.array(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/)).default([]),
  /** Cancel ladder: SIGINT at once, SIGTERM after, SIGKILL after (ms). */
  killAfterMs: z
    .object({ term: z.number().int().min(0), kill: z.number().int().min(0) })
    .default({ term: 7500, kill: 10000 }),
  /** How long a live approval waits for a human before it is denied. */
  approvalTimeoutMs: z
    .number()
    .int()
    .min(1000)
    .default(30 * 60_000),
  /** How long a live question (AskUserQuestion) waits before the run ends and waits in review instead. */
  questionTimeoutMs: z
    .number()
    .int()
    .min(1000)
    .default(10 * 60_000),
  health: z
    .object({
      yellowAfterMs: z.number().int().min(1).default(120_000),
      redAfterMs: z.number().int().min(1).default(600_000),
      /** The same tool call with identical input this many times in a row is a loop. */
      repeatLimit: z.number().int().min(2).default(3),
    })
    .prefault({}),
  /** How long a verify command (`--verify`) may run before it is killed and counts as failed. */
  verifyTimeoutMs: z
    .number()
    .int()
    .min(1000)
    .default(10 * 60_000),
  /** Ralph loop defaults: calls per hour and the pause between iterations (tasks may not set these). */
  loop: z
    .object({
      callsPerHour: z.number().int().min(1).default(100),
      pauseMs: z.number().int().min(0).default(5000),
    })
    .prefault({}),
  /** How often running tasks' health is checked. */
  healthCheckMs: z.number().int().min(100).default(5000),
  /** Resume tasks that were running when the server stopped (through their Claude session). */
  resumeOnRestart: z.boolean().default(true),
  /** Several machines on one Postgres database (workers and servers): heartbeats and caps of the fleet. */
  fleet: fleetSchema,
  /** GitHub for pull requests: token (else GITHUB_TOKEN) and API URL (GLUON_GITHUB_API_URL wins), for Enterprise. */
  github: z.object({ token: z.string().min(1).optional(), apiUrl: z.string().url().optional() }).optional(),
  /** Web sign-in through an OpenID Connect provider (routes/oidc.ts); users must exist in Gluon first. */
  oidc: oidcSchema.optional(),
  /** How often open pull requests are polled for state and checks. */
  prPollMs: z.number().int().min(1000).default(60_000),
  /** The automatic worktree sweep: how often, and how long after a task finished. */
  worktreeSweep: z
    .object({
      intervalMs: z
        .number()
        .int()
        .min(1000)
        .default(60 * 60_000),
      minIdleMs: z
        .number()
        .int()
        .min(0)
        .default(24 * 60 * 60_000),
    })
    .prefault({}),
  /**
   * The database: a `postgres://` URL (GLUON_DATABASE_URL wins) selects PostgreSQL, shared by every Gluon
   * process that names it; without one, SQLite in `$GLUON_HOME/gluon.db`. Pool size and statement timeout
   * apply to Postgres.
   */
  database: z
    .object({
      url: z
        .string()
        .regex(/^postgres(ql)?:\/\/\S+$/i, 'a postgres:// URL')
        .optional(),
      poolSize: z.number().int().min(1).max(100).default(10),
      statementTimeoutMs: z.number().int().min(0).default(30_000),
    })
    .prefault({}),
  /** Path of the Claude Code executable; default: the one the Agent SDK ships. */
  claudeExecutable: z.string().optional(),
  /** The quota of uploaded images (all tasks together): how many, and how many bytes. */
  attachments: z
    .object({
      maxCount: z.number().int().min(1).default(1000),
      maxTotalBytes: z
        .number()
        .int()
        .min(1)
        .default(512 * 1024 * 1024),
    })
    .prefault({}),
  /** Which agent runs each profile's tasks when a task does not say (`--agent`). */
  agents: agentChoiceSchema,
  codex: codexSchema.prefault({}),
  /** The server's log: `text` lines, or `json` lines through pino (GLUON_LOG_FORMAT wins). */
  logFormat: z.enum(['text', 'json']).default('text'),
  /** Prometheus: `/metrics` with the token, and optionally on a loopback port of its own without one. */
  metrics: metricsSchema,
  /** OpenTelemetry traces over OTLP/HTTP (else the OTEL_EXPORTER_OTLP_* variables; none: no traces). */
  telemetry: telemetrySchema,
  /** Work that arrives by itself (schedules, GitHub issues) and Web Push: see intake-config.ts. */
  intake: intakeSchema.prefault({}),
  /** The agents' OS sandbox (runner/sandbox.ts): where it cannot start, `auto` is refused unless allowed here. */
  sandbox: sandboxSchema,
});

export type Config = z.infer<typeof configSchema> & { home: string };
export type ConfigInput = z.input<typeof configSchema>;

/** The data directory: `$GLUON_HOME`, else `~/.gluon`. */
export function gluonHome(env: NodeJS.ProcessEnv = process.env): string {
  return path.resolve(env.GLUON_HOME || path.join(os.homedir(), '.gluon'));
}

/** Loads the configuration for a data directory; `overrides` win over file and environment. */
export function loadConfig(
  home: string,
  overrides: ConfigInput = {},
  env: NodeJS.ProcessEnv = process.env,
): Config {
  const file = path.join(home, 'config.json');
  const fromFile = readConfigFile(file);
  const fromEnv: ConfigInput = {};
  if (env.GLUON_MAX_CONCURRENT) fromEnv.maxConcurrentTasks = Number(env.GLUON_MAX_CONCURRENT);
  if (env.GLUON_LOG_FORMAT === 'json' || env.GLUON_LOG_FORMAT === 'text')
    fromEnv.logFormat = env.GLUON_LOG_FORMAT;
  if (env.GLUON_DATABASE_URL) {
    const fileDatabase = (fromFile as { database?: unknown }).database;
    fromEnv.database = { ...(isObject(fileDatabase) ? fileDatabase : {}), url: env.GLUON_DATABASE_URL };
  }
  const merged = { ...(fromFile as object), ...fromEnv, ...overrides };
  // Parsed once per start: without zod's compiled fast path, whose code generation costs more than it saves
  // on a single parse (~1.4 ms instead of ~3.7 ms).
  const parsed = configSchema.safeParse(merged, { jitless: true });
  if (!parsed.success) {
    // One line: the CLI prints it as is.
    const why = z.prettifyError(parsed.error).replace(/\s*\n\s*/g, ' ');
    throw new Error(`invalid configuration (${file} or environment): ${why}`);
  }
  return { ...parsed.data, home };
}

/**
 * The settings in config.json: none when there is no file; a file that cannot be read or is not a JSON
 * object (a half-written save, a stray edit) stops the start with one line naming the file and the fault,
 * never a bare parser message.
 */
function readConfigFile(file: string): unknown {
  if (!existsSync(file)) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    const why = err instanceof SyntaxError ? `not valid JSON (${err.message})` : (err as Error).message;
    throw new Error(`invalid configuration file ${file}: ${why}; fix it or move it away to use the defaults`);
  }
  if (!isObject(parsed))
    throw new Error(`invalid configuration file ${file}: expected a JSON object such as {"port": 45866}`);
  return parsed;
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** Where the data lives: the Postgres URL when one is configured, else the SQLite file in the data directory. */
export function databaseLocation(config: Config): string {
  return config.database.url ?? path.join(config.home, 'gluon.db');
}

/** The password inside a configured database URL, if any: redacted like every other secret. */
export function databaseSecrets(config: Config): string[] {
  if (!config.database.url) return [];
  try {
    const raw = new URL(config.database.url).password;
    return raw ? [...new Set([raw, decodeURIComponent(raw)])] : [];
  } catch {
    return [];
  }
}

/** The model id configured for a profile, for the agent that runs it (Claude Code's by default). */
export function modelForProfile(config: Config, profile: Profile, agent: AgentName = 'claude'): string {
  switch (agent) {
    case 'claude':
      return config.models[profile];
    case 'codex':
      return config.codex.models[profile];
  }
}

const SECRET_KEY = /(token|secret|password|apikey|api_key|publickey)/i;

/** Values under secret-looking keys anywhere in config.json (bot tokens, a GitHub token): redacted like the rest. */
export function secretsInConfigFile(home: string): string[] {
  const file = path.join(home, 'config.json');
  if (!existsSync(file)) return [];
  const found: string[] = [];
  const walk = (value: unknown, key: string) => {
    if (typeof value === 'string' && SECRET_KEY.test(key) && value.length >= 8) found.push(value);
    else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) walk(v, k);
  };
  try {
    walk(JSON.parse(readFileSync(file, 'utf8')), '');
  } catch {
    // An unreadable file has already been reported by loadConfig.
  }
  return found;
}
