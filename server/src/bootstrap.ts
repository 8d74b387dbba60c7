/**
 * What every Gluon process opens before it does its own part: the configuration, a log that hides
 * secrets, the database (SQLite in the data directory, or the configured Postgres), the run queue when
 * several processes share that database, the agents, and the services over them. `gluon serve` then
 * listens; `gluon worker` takes work.
 */
import { isPostgresUrl } from './storage/dialect.js';
import { createAgentRegistry } from './agent-registry.js';
import {
  databaseLocation,
  databaseSecrets,
  loadConfig,
  secretsInConfigFile,
  type Config,
  type ConfigInput,
} from './config.js';
import { createRedactor } from './domain/redact.js';
import { consoleLog, redactingLog, type Log } from './log.js';
import type { Agent, AgentRegistry } from './runner/agent.js';
import { secretValuesFromEnv } from './runner/agent-env.js';
import type { AgentSandbox } from './runner/claude-options.js';
import { probeSandboxInBackground } from './runner/sandbox.js';
import { sandboxStartLine } from './services/governance/sandbox.js';
import { createServices, type Services } from './services/index.js';
import { openStorage, type Storage } from './storage/index.js';
import type { JobQueue } from './storage/job-queue.js';

export interface CoreOptions {
  home: string;
  config?: ConfigInput;
  env: NodeJS.ProcessEnv;
  log?: Log;
  /** Run this agent for every task (a test's or the demo's stand-in); default: the configured agents. */
  agent?: Agent;
  /** Secrets of this process besides the configured ones (the API token). */
  secrets?: string[];
  /** What this process is in a fleet (a shared Postgres database); ignored on SQLite. */
  role: 'server' | 'worker';
  apiPort?: () => number | null;
}

export interface Core {
  config: Config;
  log: Log;
  secrets: string[];
  storage: Storage;
  /** The run queue, when several processes share the database. */
  jobs: JobQueue | null;
  agents: AgentRegistry;
  services: Services;
  /** Whether the agents' OS sandbox starts here (probed once, at start). */
  sandbox: AgentSandbox;
  /** Closes the queue and the database (what runs must be stopped first). */
  close(): Promise<void>;
}

export async function openCore(opts: CoreOptions): Promise<Core> {
  // The agents' PATH is the server's (agent-env.ts): bwrap and socat are looked for where Claude Code will.
  // bwrap's trial runs while the database opens.
  const probing = probeSandboxInBackground(opts.env);
  const config = loadConfig(opts.home, opts.config, opts.env);
  const secrets = [...(opts.secrets ?? []), ...secretsInConfigFile(opts.home), ...databaseSecrets(config)];
  const redactor = createRedactor([...secrets, ...secretValuesFromEnv(opts.env)]);
  // pino loads only for a JSON log.
  const base =
    opts.log ?? (config.logFormat === 'json' ? (await import('./json-log.js')).jsonLog() : consoleLog);
  const log = redactingLog(base, redactor);
  const location = databaseLocation(config);
  const storage = await openStorage(location, {
    poolSize: config.database.poolSize,
    statementTimeoutMs: config.database.statementTimeoutMs,
    log,
  });
  let jobs: JobQueue | null = null;
  try {
    // pg-boss is loaded only when several processes share a Postgres database.
    jobs = isPostgresUrl(location)
      ? await (await import('./storage/job-queue.js')).openJobQueue(location, log)
      : null;
  } catch (err) {
    await storage.close();
    throw err;
  }
  const sandbox = { ...(await probing), allowUnsandboxedAuto: config.sandbox.allowUnsandboxedAuto };
  const unsandboxed = sandboxStartLine(sandbox);
  if (unsandboxed) log(unsandboxed);
  const agents = createAgentRegistry(config, opts.env, { only: opts.agent, redactor, sandbox });
  const services = createServices({
    sandbox,
    config,
    storage,
    agents,
    serverEnv: opts.env,
    secrets,
    apiPort: opts.apiPort,
    fleet: jobs ? { role: opts.role, jobs } : undefined,
    log,
  });
  return {
    config,
    log,
    secrets,
    storage,
    jobs,
    agents,
    services,
    sandbox,
    async close() {
      await services.events.flush();
      await jobs?.close();
      await storage.close();
    },
  };
}
