/**
 * A Gluon worker (`gluon worker`): a process on any machine that runs agents for a fleet sharing one
 * Postgres database. It serves nothing: it registers, heartbeats, claims run jobs for the projects it
 * reaches (cloning each from its remote into its own data directory), runs them, pushes their work as it
 * goes, takes the commands servers send it (cancel, answers, approvals), and watches the other workers.
 * A worker that cannot reach the database for `fenceAfterMs` stops its agents (another continues their
 * tasks once this one is declared lost); a worker declared lost that is in fact alive stops its agents and
 * registers again.
 */
import { mkdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openCore, type Core } from './bootstrap.js';
import { databaseLocation, type ConfigInput } from './config.js';
import { AppError } from './errors.js';
import { nowIso } from './ids.js';
import type { Log } from './log.js';
import { reapOrphanGroup } from './runner/process-group.js';
import { reapRunProcesses } from './runner/run-processes.js';
import type { Agent } from './runner/agent.js';
import { takeCommands } from './services/fleet/commands.js';
import { startHeartbeat } from './services/fleet/heartbeat.js';
import { createWorkerLoop } from './services/fleet/worker-loop.js';
import { openHeartbeatLine } from './storage/heartbeat-line.js';

export const WORKER_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

export interface WorkerOptions {
  home: string;
  name: string;
  capacity: number;
  /** Project ids or names; none: every project. */
  projects?: string[];
  config?: ConfigInput;
  env?: NodeJS.ProcessEnv;
  agent?: Agent;
  log?: Log;
}

export interface RunningWorker {
  name: string;
  core: Core;
  /** Stops taking work, stops its agents (their work pushed), hands its tasks over, and closes. */
  close(): Promise<void>;
}

export async function startWorker(opts: WorkerOptions): Promise<RunningWorker> {
  const core = await openWorkerCore(opts);
  const jobs = core.jobs!;
  const { services, storage, config, log } = core;
  const name = opts.name;
  const register = () =>
    storage.workers.register({
      name,
      host: os.hostname(),
      pid: process.pid,
      capacity: opts.capacity,
      projects: opts.projects ?? null,
      startedAt: nowIso(),
      heartbeatAt: nowIso(),
    });
  // Runs this worker left when it last stopped abruptly: their processes go, their tasks continue anew.
  await reapLeftovers(core, name);
  await services.supervisor!.continueElsewhere(name);
  await register();
  const loop = createWorkerLoop({
    name,
    capacity: opts.capacity,
    projects: opts.projects ?? null,
    maxRunning: config.fleet.maxRunning ?? null,
    storage,
    jobs,
    events: services.events,
    state: services.state,
    runs: services.runs,
    reach: (project) => services.repos.repoOf(project),
    log,
  });
  const { runs, inputs, events } = services;
  const stopCommands = takeCommands({ name, storage, jobs, runs, inputs, events, log });
  const line = openHeartbeatLine(storage.db, databaseLocation(config), {
    // A heartbeat unanswered this long gives up its connection; the next one starts on a fresh one.
    timeoutMs: Math.max(config.fleet.heartbeatMs, Math.floor(config.fleet.fenceAfterMs / 2)),
    log,
  });
  const heartbeat = startHeartbeat({
    name,
    heartbeatMs: config.fleet.heartbeatMs,
    fenceAfterMs: config.fleet.fenceAfterMs,
    heartbeat: line.heartbeat,
    register,
    stopAll: services.runs.stopAll,
    // The agents it stopped while fenced off: their tasks continue anew (here or on another worker).
    resume: () => services.supervisor!.continueElsewhere(name),
    log,
  });
  services.supervisor!.start(config.fleet.superviseMs);
  services.health.start();
  await loop.start(1000);
  return {
    name,
    core,
    async close() {
      loop.stop();
      heartbeat.stop();
      await line.close();
      stopCommands();
      services.supervisor!.stop();
      services.health.stop();
      services.runs.clearWaits();
      await services.runs.shutdown();
      // Handed over now rather than when the heartbeat goes stale.
      await services
        .supervisor!.continueElsewhere(name)
        .catch((err) => log('handing tasks over failed', err));
      await storage.workers.stop(name, nowIso()).catch(() => undefined);
      await core.close();
    },
  };
}

/** The worker's core over the fleet's database; refused for a bad name or without Postgres. */
async function openWorkerCore(opts: WorkerOptions): Promise<Core> {
  if (!WORKER_NAME.test(opts.name))
    throw new AppError(
      400,
      'invalid_input',
      'a worker name is 1–64 letters, digits, dots, dashes or underscores',
    );
  mkdirSync(path.join(opts.home, 'worktrees'), { recursive: true, mode: 0o700 });
  const core = await openCore({
    home: opts.home,
    config: opts.config,
    env: opts.env ?? process.env,
    log: opts.log,
    agent: opts.agent,
    role: 'worker',
  });
  if (!core.jobs) {
    await core.close();
    throw new AppError(
      400,
      'no_fleet',
      'a worker needs a shared Postgres database: pass --database postgres://… (or GLUON_DATABASE_URL)',
    );
  }
  return core;
}

/** Kills what runs of this worker's tasks left behind when it last died (same machine, same name). */
async function reapLeftovers(core: Core, name: string): Promise<void> {
  const mine = new Set((await core.storage.tasks.listRunningOn(name)).map((t) => t.id));
  for (const run of await core.storage.runs.listActive()) {
    if (!mine.has(run.taskId)) continue;
    if (run.pid) reapOrphanGroup(run.pid, (cmd) => /claude|codex/i.test(cmd));
    reapRunProcesses(run.id);
  }
}
