/**
 * Starting and stopping Gluon's server: data directory and token, database, services, recovery after a
 * restart, the queue, then the HTTP listener. Used by `gluon serve` and by the tests.
 */
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Config, ConfigInput } from './config.js';
import type { Agent } from './runner/agent.js';
import { describeAgents } from './agent-registry.js';
import { openCore, type Core } from './bootstrap.js';
import type { Services } from './services/index.js';
import { buildApp } from './transport/http.js';
import { listenForMetrics } from './transport/routes/metrics.js';
import { setDiscordInteractions, type DiscordInteractionsHandler } from './transport/routes/discord.js';
import { VERSION } from './version.js';

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
  /** The loopback port serving `/metrics` without a token (`metrics.port`), or null. */
  metricsPort: number | null;
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
  const token = ensureToken(opts.home);
  let port = 0;
  const core = await openCore({
    home: opts.home,
    config: opts.config,
    env,
    log: opts.log,
    agent: opts.agent,
    secrets: [token],
    role: 'server',
    apiPort: () => (port > 0 ? port : null),
  });
  const { config, log, services } = core;
  await refuseOpenBind(core);
  const fleet = core.jobs !== null;
  // One process alone owns every run: it reconciles what a crash left. In a fleet, each worker does that
  // for its own runs, and any process continues the runs of a lost worker elsewhere.
  if (!fleet) await services.recover();
  const app = await buildApp({
    services,
    token,
    home: opts.home,
    env,
    demo: opts.demo ?? false,
    models: config.models,
    agents: () => describeAgents(config, core.agents),
    allowedHosts: config.allowedHosts,
    oidc: config.oidc,
    version: VERSION,
    log,
    port: () => port,
  });
  await app.listen({ host: config.host, port: config.port });
  const address = app.server.address();
  port = typeof address === 'object' && address ? address.port : config.port;
  const metricsPort =
    config.metrics.port === undefined
      ? null
      : await listenForMetrics(services.metrics, config.metrics.port, log);
  // Lining worktrees up with `git worktree list` is per-project work: it runs once the server listens (a
  // run started meanwhile is active, which it leaves alone).
  const reconciled = fleet
    ? null
    : services.cleanup.reconcile().catch((err: unknown) => log('reconciling worktrees failed', err));
  const background = startBackground(core, fleet);
  return {
    ...serverUrls(config.host, port),
    port,
    token,
    config,
    services,
    metricsPort: metricsPort?.port ?? null,
    setDiscordInteractions: (handler) => setDiscordInteractions(app, handler),
    async close() {
      background.stop();
      services.runs.clearWaits();
      await services.runs.shutdown();
      // A ready worktree being made is finished rather than cut off halfway (it would never be handed out).
      await services.workspaces.poolIdle();
      await app.close();
      await reconciled;
      await metricsPort?.close();
      await services.observability.close();
      await core.close();
    },
  };
}

/** Deny by default: a bind beyond loopback needs the names clients use (`allowedHosts`). */
async function refuseOpenBind(core: Core): Promise<void> {
  const { host, allowedHosts } = core.config;
  if (isLoopback(host) || allowedHosts.length > 0) return;
  await core.close();
  throw new Error(
    `refusing to bind ${host}: list the names clients use in "allowedHosts" (config.json) first`,
  );
}

/** The server's URL, and the one clients on this machine use (a wildcard bind is reached on loopback). */
function serverUrls(host: string, port: number): { url: string; localUrl: string } {
  const hostForUrl = host.includes(':') ? `[${host}]` : host;
  const selfHost = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : hostForUrl;
  return { url: `http://${hostForUrl}:${port}`, localUrl: `http://${selfHost}:${port}` };
}

/**
 * What a server keeps doing while it listens: starting queued work (alone: its own queue; in a fleet: jobs
 * for the workers, and every few seconds again for any a crash left without one), polling pull requests,
 * and — alone — sweeping finished worktrees and watching its agents' health; in a fleet, watching the
 * workers' heartbeats.
 */
function startBackground(core: Core, fleet: boolean): { stop(): void } {
  const { services, config, log } = core;
  const kick = () => {
    services.scheduler.kick().catch((err) => log('starting queued work failed', err));
  };
  kick();
  const stopPolling = services.pullRequests.startPolling(config.prPollMs);
  const { intervalMs, minIdleMs } = config.worktreeSweep;
  const stopSweeper = fleet ? () => {} : services.cleanup.startSweeper(intervalMs, minIdleMs);
  const requeue = fleet ? setInterval(kick, config.fleet.superviseMs) : null;
  if (fleet) services.supervisor?.start(config.fleet.superviseMs);
  else services.health.start();
  services.intake.start();
  return {
    stop() {
      services.scheduler.stop();
      stopPolling();
      stopSweeper();
      if (requeue) clearInterval(requeue);
      services.supervisor?.stop();
      services.health.stop();
      services.intake.stop();
    },
  };
}
