/**
 * OpenAI's Codex CLI as a Gluon agent: one `codex exec --json` process per run (argv only, the prompt on
 * stdin, its own process group), in a CODEX_HOME of Gluon's own whose config.toml points Codex at the
 * configured Responses API; `codex exec resume <thread id>` continues a session.
 *
 * What it lacks, plainly: `codex exec` runs without a human. It cannot stop a command to ask for approval,
 * cannot ask a question mid-run (it can end its turn with one, which then waits for an answer like any
 * other), and has no plan mode. So tasks with `careful`/`strict` approval or the planning profile are
 * refused for Codex when they are created, and refused again here should one arrive. In their place its
 * commands run in Codex's own sandbox: `workspace-write` lets them write only inside the worktree (and the
 * temporary directory), without network unless configured. Where that sandbox (bubblewrap, seccomp) cannot
 * start, `codex.sandbox = "danger-full-access"` in config.json turns it off, and only it.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import {
  NO_CODEX_USAGE,
  createOpenAiPricing,
  type CodexUsage,
  type OpenAiPriceOverride,
  type OpenAiPricing,
} from '../domain/openai-pricing.js';
import type {
  Agent,
  AgentCapabilities,
  AgentHooks,
  AgentOutcome,
  AgentRun,
  AgentRunRequest,
} from './agent.js';
import { resolveCodexCommand } from './codex-binary.js';
import {
  codexArgs,
  codexEnv,
  renderCodexConfig,
  type CodexHomeSettings,
  type CodexSandbox,
} from './codex-config.js';
import { CodexCost } from './codex-cost.js';
import { UnreportedCommands } from './codex-commands.js';
import { CodexEventMapper } from './codex-events.js';
import { outcome, refusal, type RunState } from './codex-outcome.js';
import { RolloutReader } from './codex-rollout.js';
import { isGroupAlive, killProcessGroup, yieldToServer } from './process-group.js';
import { endMarked, refreshMarks } from './process-tree.js';

export const CODEX_CAPABILITIES: AgentCapabilities = {
  approvals: false,
  questions: false,
  planMode: false,
  images: true,
};

export interface CodexAgentOptions extends CodexHomeSettings {
  /** Gluon's Codex home (threads, logs, config.toml): private to Gluon, kept between runs for resumes. */
  home: string;
  /** The OpenAI API key (else the run's environment's OPENAI_API_KEY). */
  apiKey?: string;
  /** Path of the `codex` executable; default: the installed @openai/codex package's binary. */
  executable?: string;
  sandbox: CodexSandbox;
  pricing?: Record<string, OpenAiPriceOverride>;
  killAfterMs: { term: number; kill: number };
  /** How often the live token count is read (ms). */
  pollMs?: number;
}

interface Context {
  options: CodexAgentOptions;
  pricing: OpenAiPricing;
  prepare(): Promise<void>;
}

/** Builds the agent; a bad price in the configuration throws here, before any run. */
export function createCodexAgent(options: CodexAgentOptions): Agent {
  const pricing = createOpenAiPricing(options.pricing);
  let ready: Promise<void> | null = null;
  const prepare = () =>
    (ready ??= prepareHome(options).catch((err: unknown) => {
      ready = null;
      throw err;
    }));
  return {
    name: 'codex',
    capabilities: CODEX_CAPABILITIES,
    start: (req, hooks) => startCodexRun(req, hooks, { options, pricing, prepare }),
  };
}

/** Creates the home (mode 700) and writes its config.toml atomically. */
async function prepareHome(o: CodexAgentOptions): Promise<void> {
  await mkdir(path.join(o.home, 'tmp-agent'), { recursive: true, mode: 0o700 });
  const file = path.join(o.home, 'config.toml');
  const tmp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}`;
  await writeFile(tmp, renderCodexConfig(o), { mode: 0o600 });
  await rename(tmp, file);
}

function startCodexRun(req: AgentRunRequest, hooks: AgentHooks, ctx: Context): AgentRun {
  const state: RunState = { pid: null, tree: [], stoppedBy: null, exited: false, killing: null };
  const done = runCodex(req, hooks, ctx, state).catch((err: unknown): AgentOutcome =>
    outcome(req, state, {
      error: { message: `codex: ${(err as Error)?.message ?? String(err)}`, retryable: false },
    }),
  );
  return {
    done,
    stop(cause) {
      if (state.stoppedBy || state.exited) return;
      state.stoppedBy = cause;
      if (!state.pid) return;
      state.tree = refreshMarks(state.tree, state.pid);
      state.killing ??= killProcessGroup(state.pid, ladder(ctx.options));
    },
  };
}

/** How often the list of the agent's descendants is refreshed (ms). */
const TREE_EVERY_MS = 1000;

const ladder = (o: CodexAgentOptions) => ({
  termAfterMs: o.killAfterMs.term,
  killAfterMs: o.killAfterMs.kill,
});

async function runCodex(
  asked: AgentRunRequest,
  hooks: AgentHooks,
  ctx: Context,
  state: RunState,
): Promise<AgentOutcome> {
  // Codex cannot copy a thread: a forked task starts a thread of its own (on the forked branch).
  const req = asked.forkSession ? { ...asked, resumeSessionId: null, priorSessionTotalUsd: 0 } : asked;
  const refused = refusal(req);
  if (refused) return outcome(req, state, { error: { message: refused, retryable: false } });
  const o = ctx.options;
  await ctx.prepare();
  const runDir = path.join(o.home, 'runs', randomBytes(6).toString('hex'));
  try {
    const images = await writeImages(runDir, req.images);
    const reader = new RolloutReader(o.home, req.resumeSessionId ?? null);
    const baseline = req.resumeSessionId ? await reader.prime() : NO_CODEX_USAGE;
    const cost = new CodexCost(ctx.pricing, req.model, baseline, req.priorSessionTotalUsd ?? 0);
    if (state.stoppedBy) return outcome(req, state, {});
    const { command, prefix } = resolveCodexCommand(o.executable);
    const args = codexArgs({
      model: req.model,
      sandbox: o.sandbox,
      resumeThreadId: req.resumeSessionId,
      images,
      developerInstructions: req.appendSystemPrompt,
    });
    const env = codexEnv(req.env, o.home, o.apiKey ?? req.env.OPENAI_API_KEY);
    return await supervise({ req, hooks, ctx, state, reader, cost }, command, [...prefix, ...args], env);
  } finally {
    await rm(runDir, { recursive: true, force: true }).catch(() => undefined);
  }
}

interface Supervision {
  req: AgentRunRequest;
  hooks: AgentHooks;
  ctx: Context;
  state: RunState;
  reader: RolloutReader;
  cost: CodexCost;
}

/** Runs the process to its end: events as its lines arrive, the live cost from its rollout, then the outcome. */
async function supervise(s: Supervision, command: string, args: string[], env: Record<string, string>) {
  const { req, hooks, state, reader, cost } = s;
  const mapper = new CodexEventMapper();
  const child = spawn(command, args, { cwd: req.cwd, env, stdio: ['pipe', 'pipe', 'pipe'], detached: true });
  let stderrTail = '';
  let spawnError: Error | null = null;
  const closed = new Promise<number | null>((resolve) => {
    child.once('error', (err) => {
      spawnError = err;
      resolve(null);
    });
    child.once('close', (code) => resolve(code));
  });
  child.stdin.on('error', () => undefined);
  child.stdin.end(req.prompt);
  child.stderr.on(
    'data',
    (chunk: Buffer) => (stderrTail = (stderrTail + chunk.toString('utf8')).slice(-4000)),
  );
  if (child.pid) {
    yieldToServer(child.pid);
    state.pid = child.pid;
    hooks.onProcess(child.pid);
    if (state.stoppedBy) state.killing ??= killProcessGroup(child.pid, ladder(s.ctx.options));
  }
  const report = (total: CodexUsage | null) => {
    const live = total && cost.update(total);
    if (live) hooks.onCost(live);
  };
  readEvents(s, child.stdout, mapper, report);
  const unreported = new UnreportedCommands();
  reader.onLine = (line) => unreported.take(line);
  const showUnreported = () => {
    for (const c of unreported.drain()) for (const e of mapper.mapUnreported(c)) hooks.onEvent(e);
  };
  const takePolled = (changed: boolean) => {
    showUnreported();
    if (changed && !mapper.usage) report(reader.total);
  };
  // The rollout file gives only the live estimate (the run's end reports the total): a failed read
  // (the file not yet there, or being rotated) is read again at the next tick.
  const readAgainNextTick = () => undefined;
  let treeAt = 0;
  const timer = setInterval(() => {
    // While it stops, the agent may still start or orphan commands: watch them at every tick.
    if (state.pid && (state.stoppedBy || Date.now() - treeAt >= TREE_EVERY_MS)) {
      state.tree = refreshMarks(state.tree, state.pid);
      treeAt = Date.now();
    }
    if (mapper.usage) return;
    reader.poll().then(takePolled, readAgainNextTick);
  }, s.ctx.options.pollMs ?? 250);
  const code = await closed;
  clearInterval(timer);
  state.exited = true;
  // Whatever the agent started and left behind goes with it: its group, and its commands' own sessions.
  if (state.pid && isGroupAlive(state.pid))
    await (state.killing ?? killProcessGroup(state.pid, ladder(s.ctx.options)));
  await endMarked(state.tree);
  await reader.poll();
  showUnreported();
  report(mapper.usage ?? reader.total);
  return outcome(req, state, { mapper, cost, spawnError, code, stderrTail, hooks });
}

/** Reads Codex's JSONL: each line's events to the hooks, the session when the thread starts, the cost when the turn ends. */
function readEvents(
  s: Supervision,
  stdout: Readable,
  mapper: CodexEventMapper,
  report: (total: CodexUsage | null) => void,
): void {
  const { req, hooks, reader } = s;
  createInterface({ input: stdout }).on('line', (line) => {
    const event = parseLine(line);
    if (!event) return;
    for (const e of mapper.map(event)) hooks.onEvent(e);
    if (event.type === 'thread.started' && mapper.threadId) {
      hooks.onSession(mapper.threadId);
      hooks.onEvent({
        type: 'run.session',
        data: { sessionId: mapper.threadId, model: req.model, tools: [] },
      });
      reader.follow(mapper.threadId);
    }
    if (event.type === 'turn.completed') report(mapper.usage);
  });
}

function parseLine(line: string): Record<string, unknown> | null {
  if (!line.startsWith('{')) return null;
  try {
    return JSON.parse(line) as Record<string, unknown>;
  } catch {
    return null;
  }
}

/** Writes the prompt's images where Codex can read them (`-i FILE`); they go with the run directory. */
async function writeImages(dir: string, images: AgentRunRequest['images']): Promise<string[]> {
  if (!images?.length) return [];
  await mkdir(dir, { recursive: true, mode: 0o700 });
  return Promise.all(
    images.map(async (image, i) => {
      const ext = image.mediaType.split('/')[1]?.replace(/[^a-z0-9]/g, '') || 'png';
      const file = path.join(dir, `image-${i + 1}.${ext}`);
      await writeFile(file, Buffer.from(image.base64, 'base64'), { mode: 0o600 });
      return file;
    }),
  );
}
