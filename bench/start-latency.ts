/**
 * (a) The run path: `task create` → the first agent event at a WebSocket subscriber, and → the task in
 * `review` with its work committed, on the 20-tool-call scenario; next to the raw Claude Code binary on the
 * same scenario (first stdout line, exit) plus raw `git worktree add`, and the first event on a 5-file
 * against a 20,000-file repository; and the CPU one task costs the machine (the server, Claude Code and
 * the git processes it starts) next to raw Claude Code's on the same scenario (bench/cpu-time.ts), and a
 * tool call's and a model turn's time in both (bench/tool-calls.ts). Rounds interleave raw and Gluon runs
 * so that load hits both alike.
 * Gluon runs as a user runs it (`gluon serve`, the built bundle, its own process: bench/served.ts).
 * BENCH_SAMPLES=1 prints every round's samples (stats.ts).
 */
import { performance } from 'node:perf_hooks';
import type { TaskDto } from '../shared/api.js';
import type { GluonEvent } from '../shared/events.js';
import { iterateEvents } from '../shared/client.js';
import { subscribeBoard, subscribeTask } from '../shared/ws-client.js';
import { agentEnv, tempDir } from '../test/e2e/harness.js';
import { SCENARIO, makeRepoOfSize, rawClaude, rawWorktreeAdd, sandboxLikeGluon } from './baselines.js';
import { cpuDuring, cpuTime } from './cpu-time.js';
import { serveGluon, type ServedGluon } from './served.js';
import { median, printSamples } from './stats.js';
import { marksOfEvents, toolCallTimes, type ToolMark } from './tool-calls.js';

/** A user's pause between two tasks. */
const USER_PAUSE_MS = 1500;

/** How long after a task's review its CPU is still counted (what the server does once it is in review). */
const AFTER_REVIEW_MS = 1000;

const isAgentEvent = (e: GluonEvent) =>
  e.type === 'run.session' || e.type.startsWith('agent.') || e.type.startsWith('tool.');

/** Watches the board: resolves when a task leaves queued/running. */
function boardWatch(g: ServedGluon) {
  const waiting = new Map<string, (t: TaskDto) => void>();
  const sub = subscribeBoard({
    baseUrl: g.url,
    token: g.token,
    onSnapshot: () => {},
    onTask: (t) => {
      if (t.status !== 'queued' && t.status !== 'running') waiting.get(t.id)?.(t);
    },
  });
  return {
    settled: (id: string) => new Promise<TaskDto>((resolve) => waiting.set(id, resolve)),
    close: () => sub.close(),
  };
}

/**
 * Gluon's own part of a start, without Claude Code's: ms from `task.created` to `run.started` (the
 * worktree ready, the agent about to be spawned), by the server's clock in the events it stored.
 */
export function preparedMs(events: GluonEvent[]): number {
  const at = (type: string) => {
    const e = events.find((x) => x.type === type);
    if (!e) throw new Error(`bench task has no ${type} event`);
    return Date.parse(e.ts);
  };
  return at('run.started') - at('task.created');
}

/**
 * One Gluon task on `project`: ms to its first agent event, and to `review`; and the CPU the server and
 * the processes it started (Claude Code, git) used from the task's creation until a second after review.
 */
async function timeTask(g: ServedGluon, board: ReturnType<typeof boardWatch>, project: string) {
  // The pool of ready worktrees refills in the background once a task's agent is up; a user's pause
  // between two tasks gives it that time, which on this loaded machine a 20,000-file checkout needs.
  await new Promise((r) => setTimeout(r, USER_PAUSE_MS));
  const cpu0 = cpuTime(g.child.pid!);
  const t0 = performance.now();
  const task = await g.client.createTask({ project, prompt: SCENARIO });
  const settled = board.settled(task.id);
  const firstEventMs = await new Promise<number>((resolve) => {
    const sub = subscribeTask({
      baseUrl: g.url,
      token: g.token,
      taskId: task.id,
      afterSeq: 0,
      onEvent: (e) => {
        if (!isAgentEvent(e)) return;
        sub.close();
        resolve(performance.now() - t0);
      },
    });
  });
  const final = await settled;
  const reviewMs = performance.now() - t0;
  if (final.status !== 'review') throw new Error(`bench task ended ${final.status}`);
  await new Promise((r) => setTimeout(r, AFTER_REVIEW_MS));
  const cpu1 = cpuTime(g.child.pid!);
  const serverCpuMs = cpu1.own - cpu0.own;
  const events: GluonEvent[] = [];
  for await (const e of iterateEvents(g.client, task.id)) events.push(e);
  return {
    firstEventMs,
    reviewMs,
    preparedMs: preparedMs(events),
    serverCpuMs,
    treeCpuMs: serverCpuMs + cpu1.children - cpu0.children,
    marks: marksOfEvents(events),
  };
}

export interface StartFigures {
  gluonFirstEvent: number;
  gluonReview: number;
  gluonFirstEventBig: number;
  /** Gluon's own part of the start (preparedMs), on the 5-file and the 20,000-file repository. */
  gluonPrepared: number;
  gluonPreparedBig: number;
  /** Raw Claude Code's first line on the 20,000-file repository (in the sandbox where Gluon's agents have one). */
  claudeFirstLineBig: number;
  claudeFirstLine: number;
  claudeExit: number;
  /** Raw Claude Code in the OS sandbox Gluon gives its agents (null: Gluon's agents run without one here). */
  sandboxedFirstLine: number | null;
  sandboxedExit: number | null;
  worktreeSmall: number;
  worktreeBig: number;
  /** CPU ms of one task: the server alone, and with what it started (Claude Code, git). */
  gluonServerCpu: number;
  gluonTreeCpu: number;
  /** CPU ms of raw Claude Code on the scenario (in the sandbox where Gluon's agents have one). */
  claudeCpu: number;
  /** Medians (tool-calls.ts): a tool call from request to result, a model turn from result to next request. */
  gluonToolCall: number;
  gluonModelTurn: number;
  claudeToolCall: number;
  claudeModelTurn: number;
}

/** Each round's samples, by figure (the median of each is the figure). */
type Figures = Partial<Record<keyof StartFigures, number[]>>;

/** Adds one round's sample of a figure. */
function sample(f: Figures, name: keyof StartFigures, value: number): void {
  (f[name] ??= []).push(value);
}

/**
 * One round's raw baselines: `git worktree add` on both repositories, then raw Claude Code on the
 * scenario, on the big repository (its first line only), and again in the OS sandbox Gluon gives its
 * agents (`sandboxHome`: the data directory it closes; null where none can start; then the big
 * repository's run has none either). Raw Claude Code's CPU is this process's children's once it has
 * exited (the fake API's is this process's own).
 */
async function rawRound(
  i: number,
  repos: { small: string; big: string },
  env: NodeJS.ProcessEnv,
  sandboxHome: string | null,
  f: Figures,
): Promise<void> {
  const wt = await rawWorktreeAdd(repos.small, `bench-${i}`);
  sample(f, 'worktreeSmall', wt.ms);
  const wtBig = await rawWorktreeAdd(repos.big, `bench-${i}`);
  sample(f, 'worktreeBig', wtBig.ms);
  const raw = await cpuDuring('self', () => rawClaude(env, wt.dir));
  sample(f, 'claudeFirstLine', raw.firstLineMs);
  sample(f, 'claudeExit', raw.exitMs);
  const box = (dir: string) =>
    sandboxHome === null ? {} : { sandbox: sandboxLikeGluon(dir, env, sandboxHome) };
  // Claude Code's own start on the big repository, as Gluon runs it (in the sandbox where it has one).
  sample(f, 'claudeFirstLineBig', (await rawClaude(env, wtBig.dir, box(wtBig.dir))).firstLineMs);
  if (sandboxHome === null) {
    sample(f, 'claudeCpu', raw.cpu.children);
    pushToolCalls(f, 'claude', raw.marks);
    return;
  }
  const dir = (await rawWorktreeAdd(repos.small, `bench-box-${i}`)).dir;
  const inBox = await cpuDuring('self', () => rawClaude(env, dir, box(dir)));
  sample(f, 'sandboxedFirstLine', inBox.firstLineMs);
  sample(f, 'sandboxedExit', inBox.exitMs);
  sample(f, 'claudeCpu', inBox.cpu.children);
  pushToolCalls(f, 'claude', inBox.marks);
}

/** One run's median tool call and model turn (tool-calls.ts), into `<side>ToolCall` and `<side>ModelTurn`. */
function pushToolCalls(f: Figures, side: 'claude' | 'gluon', marks: ToolMark[]): void {
  const t = toolCallTimes(marks);
  sample(f, `${side}ToolCall`, t.call);
  sample(f, `${side}ModelTurn`, t.turn);
}

export async function measureStartLatency(n: number): Promise<StartFigures> {
  const small = await makeRepoOfSize(5);
  const big = await makeRepoOfSize(20_000);
  const g = await serveGluon('bench-start');
  await g.client.addProject({ path: small, name: 'small' });
  await g.client.addProject({ path: big, name: 'big' });
  const env = agentEnv(g.fake, tempDir('bench-home'));
  const board = boardWatch(g);
  const boxed = (await g.client.health()).sandbox?.available === true;
  const f: Figures = {};
  try {
    // Warm both sides alike (page cache of the binary, the server's code paths, the pools).
    await rawClaude(env, (await rawWorktreeAdd(small, 'bench-warm')).dir);
    await timeTask(g, board, 'small');
    await timeTask(g, board, 'big');
    for (let i = 0; i < n; i++) {
      await rawRound(i, { small, big }, env, boxed ? g.home : null, f);
      const t = await timeTask(g, board, 'small');
      sample(f, 'gluonFirstEvent', t.firstEventMs);
      sample(f, 'gluonReview', t.reviewMs);
      sample(f, 'gluonServerCpu', t.serverCpuMs);
      sample(f, 'gluonTreeCpu', t.treeCpuMs);
      pushToolCalls(f, 'gluon', t.marks);
      sample(f, 'gluonPrepared', t.preparedMs);
      const b = await timeTask(g, board, 'big');
      sample(f, 'gluonFirstEventBig', b.firstEventMs);
      sample(f, 'gluonPreparedBig', b.preparedMs);
    }
  } finally {
    board.close();
    await g.close();
  }
  printSamples('start', f);
  const medians = Object.fromEntries(
    Object.entries(f).map(([name, values]) => [name, median(values)]),
  ) as unknown as StartFigures;
  // Without a sandbox the sandboxed samples were never taken.
  if (!boxed) Object.assign(medians, { sandboxedFirstLine: null, sandboxedExit: null });
  return medians;
}
