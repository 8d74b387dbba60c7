/**
 * Starting and stopping Gluon's server: data directory and token, database, services, recovery after a
 * restart, the queue, then the HTTP listener. Used by `gluon serve` and by the tests.
 */
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import {
  databaseLocation,
  databaseSecrets,
  loadConfig,
  secretsInConfigFile,
  type Config,
  type ConfigInput,
} from './config.js';
import { createRedactor } from './domain/redact.js';
import type { Agent } from './runner/agent.js';
import { secretValuesFromEnv } from './runner/agent-env.js';
import { createAgentRegistry, describeAgents } from './agent-registry.js';
import { createServices, type Services } from './services/index.js';
import { openStorage } from './storage/index.js';
import { buildApp } from './transport/http.js';
import { setDiscordInteractions, type DiscordInteractionsHandler } from './transport/routes/discord.js';
import { VERSION } from './version.js';
import { consoleLog, redactingLog } from './log.js';

export interface StartOptions {
  home: string;
  config?: ConfigInput;
  /** One agent for every task (a test's stand-in); by default each task runs the agent it names. */
  agent?: Agent;
  env?: NodeJS.ProcessEnv;
  log?: (msg: string, err?: unknown) => void;
  /** A demo server (`gluon demo`): the dashboard labels it. */
  demo?: boolean;
}

export interface RunningServer {
  url: string;
  /** The URL a client on this machine uses (loopback when the server binds every interface). */
  localUrl: string;
  port: number;
  token: string;
  config: Config;
  services: Services;
  /** Installs the handler behind the signed Discord interactions route (the bots bring it). */
  setDiscordInteractions(handler: DiscordInteractionsHandler | null): void;
  close(): Promise<void>;
}

const isLoopback = (host: string) =>
  host === '127.0.0.1' || host === 'localhost' || host === '::1' || host.startsWith('127.');

/** Reads the API token, creating it (mode 600) on first start. */
export function ensureToken(home: string): string {
  const file = path.join(home, 'token');
  if (existsSync(file)) {
    const token = readFileSync(file, 'utf8').trim();
    if (/^[a-f0-9]{32,}$/.test(token)) {
      chmodSync(file, 0o600);
      return token;
    }
  }
  const token = randomBytes(32).toString('hex');
  writeFileSync(file, `${token}\n`, { mode: 0o600 });
  chmodSync(file, 0o600);
  return token;
}

export async function startServer(opts: StartOptions): Promise<RunningServer> {
  const env = opts.env ?? process.env;
  mkdirSync(opts.home, { recursive: true, mode: 0o700 });
  mkdirSync(path.join(opts.home, 'worktrees'), { recursive: true });
  const config = loadConfig(opts.home, opts.config, env);
  const token = ensureToken(opts.home);
  const secrets = [token, ...secretsInConfigFile(opts.home), ...databaseSecrets(config)];
  const redactor = createRedactor([...secrets, ...secretValuesFromEnv(env)]);
  const log = redactingLog(opts.log ?? consoleLog, redactor);
  if (!isLoopback(config.host) && !token) throw new Error('refusing to listen beyond loopback without auth');
  if (!isLoopback(config.host) && config.allowedHosts.length === 0) {
    throw new Error(
      `refusing to bind ${config.host}: list the names clients use in "allowedHosts" (config.json) first`,
    );
  }
  const storage = await openStorage(databaseLocation(config), {
    poolSize: config.database.poolSize,
    statementTimeoutMs: config.database.statementTimeoutMs,
    log,
  });
  const agents = createAgentRegistry(config, env, { only: opts.agent, redactor });
  let port = config.port;
  const services = createServices({
    config,
    storage,
    agents,
    serverEnv: env,
    secrets,
    apiPort: () => (port > 0 ? port : null),
    log,
  });
  await services.recover();
  await services.cleanup.reconcile();
  const app = await buildApp({
    services,
    token,
    home: opts.home,
    env,
    demo: opts.demo ?? false,
    models: config.models,
    agents: () => describeAgents(config, agents),
    allowedHosts: config.allowedHosts,
    version: VERSION,
    log,
    port: () => port,
  });
  await app.listen({ host: config.host, port: config.port });
  const address = app.server.address();
  port = typeof address === 'object' && address ? address.port : config.port;
  void services.scheduler.kick();
  const stopPolling = services.pullRequests.startPolling(config.prPollMs);
  const { intervalMs, minIdleMs } = config.worktreeSweep;
  const stopSweeper = services.cleanup.startSweeper(intervalMs, minIdleMs);
  services.health.start();
  const hostForUrl = config.host.includes(':') ? `[${config.host}]` : config.host;
  // Clients on this machine (the bots `gluon serve` starts) reach a wildcard bind through loopback.
  const selfHost = config.host === '0.0.0.0' || config.host === '::' ? '127.0.0.1' : hostForUrl;
  return {
    url: `http://${hostForUrl}:${port}`,
    localUrl: `http://${selfHost}:${port}`,
    port,
    token,
    config,
    services,
    setDiscordInteractions: (handler) => setDiscordInteractions(app, handler),
    async close() {
      services.scheduler.stop();
      stopPolling();
      stopSweeper();
      services.health.stop();
      services.runs.clearWaits();
      await Promise.all(services.runs.activeRuns().map((r) => services.runs.stop(r.taskId, 'shutdown')));
      await services.events.flush();
      await app.close();
      await storage.close();
    },
  };
}
