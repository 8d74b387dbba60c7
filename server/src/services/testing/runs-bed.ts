/**
 * Test helper for the run lifecycle: the services a run goes through (task state, the event log, input
 * requests, workspaces, mode drivers, runs, the queue, tasks) composed as `createServices` composes them,
 * on a real SQLite file and a real git repository, with the scriptable fake agent. The workspaces are the
 * real ones with a checkpoint before each phase, so a test can pause a run while its worktree is
 * prepared, its work committed or its branch published. `openRunsBed({ reopen })` opens a second
 * "server" on the same data directory and repository (a restart). Not a product module.
 */
import { copyFile, cp } from 'node:fs/promises';
import path from 'node:path';
import { loadConfig, type ConfigInput } from '../../config.js';
import { createRedactor, redactDeep } from '../../domain/redact.js';
import { createFormulaStore } from '../../formulas/formula-store.js';
import { createFakeAgent, type FakeAgent } from '../../runner/testing/fake-agent.js';
import { createDirs, repoWith } from '../../runner/testing/git-fixtures.js';
import { openStorage, type Storage } from '../../storage/index.js';
import type { ProjectRecord } from '../../storage/projects-repo.js';
import { createPullRequestsRepo } from '../../storage/pull-requests-repo.js';
import { insertProject } from '../../storage/testing/factories.js';
import { createAttachments } from '../attachments.js';
import { createEventLog } from '../event-log.js';
import { createInputRequests } from '../input-requests.js';
import { createModeDrivers } from '../modes/index.js';
import { createNotifier } from '../notifications.js';
import { userCheckouts } from '../project-repos.js';
import { createProjects } from '../projects.js';
import { recoverAfterRestart, repairUnrecordedRun } from '../recovery.js';
import { createRuns } from '../runs/index.js';
import { createSettler } from '../runs/settle.js';
import { createScheduler } from '../scheduler.js';
import { createTaskGit } from '../task-git.js';
import { createTaskState } from '../task-state.js';
import { createTasks } from '../tasks.js';
import { createWorkspaces, type Workspaces } from '../workspaces.js';
import { createHolds, createWatch } from './bed-watch.js';

export interface RunsBedOptions {
  agent?: FakeAgent;
  config?: ConfigInput;
  /** The data directory and repository of an earlier bed (a restart); that bed must be closed first. */
  reopen?: { home: string; repo: string };
  /** Secret values the event log and task state redact. */
  secrets?: string[];
  /**
   * False: tasks created by `create` work in the project's checkout (no worktree, no git at all), for
   * tests about statuses, costs and events rather than the work on the branch. Default true.
   */
  worktrees?: boolean;
}

const dirs = createDirs();

/** Removes every directory the beds of this test file made (an afterAll). */
export const cleanupRunsBeds = async () => {
  template = null;
  await dirs.cleanup();
};

let template: Promise<{ db: string; repo: string }> | null = null;

/**
 * A new data directory with a migrated database, and a new repository on `main` with one commit: copies
 * of ones made once per test file (migrating and `git init` for every test would be most of its time).
 */
async function freshFiles(): Promise<{ home: string; repo: string }> {
  template ??= (async () => {
    const dir = await dirs.make('gluon-runs-template-');
    await (await openStorage(path.join(dir, 'gluon.db'))).close();
    return { db: path.join(dir, 'gluon.db'), repo: await repoWith(dirs, { 'README.md': '# app\n' }) };
  })();
  const { db, repo } = await template;
  const home = await dirs.make('gluon-runs-');
  await copyFile(db, path.join(home, 'gluon.db'));
  const copy = path.join(await dirs.make('gluon-repo-'), 'app');
  await cp(repo, copy, { recursive: true, verbatimSymlinks: true });
  return { home, repo: copy };
}

/** The real workspaces, each phase behind a checkpoint the test can hold. */
function instrument(real: Workspaces, checkpoint: (p: 'prepare' | 'commit' | 'publish') => Promise<void>) {
  return {
    ...real,
    prepare: async (...a: Parameters<Workspaces['prepare']>) => (
      await checkpoint('prepare'),
      real.prepare(...a)
    ),
    commitRun: async (...a: Parameters<Workspaces['commitRun']>) => (
      await checkpoint('commit'),
      real.commitRun(...a)
    ),
    publishRun: async (...a: Parameters<Workspaces['publishRun']>) => (
      await checkpoint('publish'),
      real.publishRun(...a)
    ),
  } satisfies Workspaces;
}

function composeCore(storage: Storage, home: string, opts: RunsBedOptions, logs: string[]) {
  const config = loadConfig(home, { port: 0, ...opts.config }, {});
  const log = (msg: string, err?: unknown) => void logs.push(err ? `${msg}: ${String(err)}` : msg);
  const redactText = createRedactor(opts.secrets ?? []);
  const events = createEventLog(
    storage.events,
    (v) => redactDeep(v, redactText),
    (err) => log('event', err),
  );
  const state = createTaskState(storage, events, { redact: redactText, log });
  const notifier = createNotifier(storage, events);
  const holds = createHolds();
  const git = createTaskGit({ repo: createPullRequestsRepo(storage.db), repos: userCheckouts });
  const real = createWorkspaces({ config, storage, events, git, repos: userCheckouts, log });
  const workspaces = instrument(real, holds.checkpoint);
  return { config, log, events, state, notifier, holds, workspaces, poolIdle: real.poolIdle };
}

type Core = ReturnType<typeof composeCore>;

/** Input requests as the composition root wires them: what waits shows on the task and in the log. */
function composeInputs(core: Core, stop: (taskId: string) => Promise<unknown>) {
  const { config, state, events, notifier, log } = core;
  return createInputRequests({
    approvalTimeoutMs: config.approvalTimeoutMs,
    questionTimeoutMs: config.questionTimeoutMs,
    log,
    async setPending(taskId, pending, resolved) {
      await state.update(taskId, { pendingInput: pending, inputRequired: pending !== null });
      if (pending?.live) {
        const { requestId, kind, toolName, toolInput, questions, reason } = pending;
        const data = { requestId, kind, toolName, toolInput, questions, reason };
        await events.emit(taskId, { type: 'input.requested', data });
        await notifier.notify(taskId, 'input_required', kind);
      }
      if (resolved) await events.emit(taskId, { type: 'input.resolved', data: resolved });
    },
    onQuestionTimeout: (taskId) => void stop(taskId).catch((err) => log('question timeout', err)),
  });
}

export async function openRunsBed(opts: RunsBedOptions = {}) {
  const { home, repo } = opts.reopen ?? (await freshFiles());
  const storage = await openStorage(path.join(home, 'gluon.db'));
  const logs: string[] = [];
  const core = composeCore(storage, home, opts, logs);
  const { config, events, state, notifier, workspaces, log } = core;
  const agent = opts.agent ?? createFakeAgent();
  let runs: ReturnType<typeof createRuns> | null = null;
  const inputs = composeInputs(core, (taskId) => runs!.stop(taskId, 'input_required'));
  const driverFor = createModeDrivers({ config, events });
  const attachments = createAttachments(path.join(home, 'attachments'), config.attachments);
  const agents = { get: () => agent };
  const base = { config, attachments, storage, events, state, inputs, agents, driverFor, notifier, log };
  runs = createRuns({ ...base, workspaces, serverEnv: { PATH: process.env.PATH }, log });
  const watch = createWatch(events, runs.onFinished);
  const scheduler = createScheduler({ storage, runs, maxConcurrent: config.maxConcurrentTasks, log });
  const projects = createProjects(storage);
  const formulas = createFormulaStore({ home });
  const tasks = createTasks({ ...base, projects, runs, scheduler, formulas });
  const settle = createSettler({ state, notifier });
  const recovery = { storage, events, workspaces, settle, resumeOnRestart: config.resumeOnRestart, log };
  const project: ProjectRecord = opts.reopen
    ? (await storage.projects.list())[0]!
    : await insertProject(storage, { name: 'app', path: repo });
  return {
    home,
    repo,
    storage,
    config,
    events,
    state,
    inputs,
    runs,
    scheduler,
    tasks,
    agent,
    project,
    watch,
    /** Resolves when the pool of ready worktrees has nothing in flight. */
    poolIdle: core.poolIdle,
    /** What the services logged as failed. */
    logs,
    /** Pauses the next time a run reaches `phase`. */
    hold: core.holds.hold,
    /** Creates a task of the project (a plain one unless `over` says otherwise); the queue starts it. */
    create: (prompt: string, over: Record<string, unknown> = {}) =>
      tasks.create({
        project: 'app',
        prompt,
        ...(opts.worktrees === false ? { worktree: false } : {}),
        ...over,
      } as Parameters<typeof tasks.create>[0]),
    /** Startup recovery, as `gluon serve` runs it before the queue starts. */
    recover: () => recoverAfterRestart(recovery),
    /** The repair of a task whose run could not be recorded. */
    repair: (taskId: string, cause: string) => repairUnrecordedRun(recovery, taskId, cause),
    /** Stops the queue and every run (as a shutdown does), then closes the database. */
    async close() {
      scheduler.stop();
      runs.clearWaits();
      await runs.shutdown();
      await events.flush();
      await core.poolIdle();
      await storage.close();
    },
    /** Closes the database as a crash would: whatever runs is left as it is, nothing more is written. */
    async crash() {
      scheduler.stop();
      runs.clearWaits();
      await events.flush();
      await core.poolIdle();
      await storage.close();
    },
  };
}

export type RunsBed = Awaited<ReturnType<typeof openRunsBed>>;
