/**
 * A scriptable stand-in for a coding agent, implementing `Agent`: each run plays a script (text, thinking,
 * tool calls through `onToolRequest`, usage priced with the real pricing table, questions, errors, a hang,
 * a crash) and reports exactly as the Claude Code adapter does. It remembers sessions, so a resume keeps
 * the session's history and reports a cumulative total like the SDK. Deterministic: no timers unless a
 * script asks for a delay. It passes the same contract suite as the real adapter (agent-contract.ts).
 *
 *   const agent = createFakeAgent({ plan: () => [text('Done.'), usage({ input: 100, output: 50 })] });
 *   agent.enqueue([write('a.txt', 'x'), usage({ input: 10 }), text('Wrote a.txt.')]); // the next run only
 *
 * Not a product module.
 */
import type { Agent, AgentOutcome, AgentRunRequest } from '../agent.js';
import { FakeRun } from './fake-agent-run.js';
import type { FakeRunRecord, FakeScript, FakeSession, FakeStep } from './fake-agent-steps.js';

export * from './fake-agent-steps.js';

type ScriptLike = FakeScript | FakeStep[];

/** Picks a run's script from its request and its session (`session.prompts` ends with this run's prompt). */
export type FakePlan = (req: AgentRunRequest, session: Readonly<FakeSession>) => ScriptLike;

export interface FakeAgentOptions {
  /** The script of every run the queue does not cover. */
  plan?: FakePlan;
  /** Give each run a real idle process in its own group (for health checks and "no process left"). */
  process?: boolean;
  /** The stop ladder for that process (ms). */
  killAfterMs?: { term: number; kill: number };
  /** Sessions shared with another fake agent (a server restart keeps them); default: this agent's own. */
  sessions?: Map<string, FakeSession>;
  name?: string;
}

export interface FakeAgent extends Agent {
  /** Scripts for the next runs, in order; they win over `plan`. */
  enqueue(...scripts: ScriptLike[]): void;
  /** Every run started, oldest first. */
  readonly runs: readonly FakeRunRecord[];
  /** Runs whose `done` has not resolved yet. */
  activeCount(): number;
  /** Resolves with the `n`-th run (1-based) once it has started. */
  started(n: number): Promise<FakeRunRecord>;
  readonly sessions: Map<string, FakeSession>;
}

const asScript = (s: ScriptLike): FakeScript => (Array.isArray(s) ? { steps: s } : s);
const NO_SCRIPT: FakeScript = {
  steps: [{ kind: 'error', message: 'fake agent: no script for this run', retryable: false }],
};

export function createFakeAgent(options: FakeAgentOptions = {}): FakeAgent {
  const queue: FakeScript[] = [];
  const runs: FakeRunRecord[] = [];
  const sessions = options.sessions ?? new Map<string, FakeSession>();
  const waiters: { n: number; resolve: (r: FakeRunRecord) => void }[] = [];
  let active = 0;
  let newSessions = 0;

  /** A new session (named by the queued script, if it says), the resumed one, or null when unknown. */
  function sessionFor(req: AgentRunRequest, name: string | undefined): FakeSession | null {
    if (req.resumeSessionId) return sessions.get(req.resumeSessionId) ?? null;
    const session = { id: name ?? `fake-session-${++newSessions}`, prompts: [], totalUsd: 0 };
    sessions.set(session.id, session);
    return session;
  }

  /** The queued script, else the plan's; a run without a session fails before it plays any. */
  function scriptFor(req: AgentRunRequest, session: FakeSession | null): FakeScript {
    const queued = queue.shift();
    if (!session) return NO_SCRIPT;
    if (queued) return queued;
    try {
      return options.plan ? asScript(options.plan(req, session)) : NO_SCRIPT;
    } catch (err) {
      return {
        steps: [{ kind: 'error', message: `fake agent: the plan threw: ${String(err)}`, retryable: false }],
      };
    }
  }

  return {
    name: options.name ?? 'fake',
    capabilities: { approvals: true, questions: true, planMode: true, images: true },
    start(req, hooks) {
      const session = sessionFor(req, queue[0]?.sessionId);
      session?.prompts.push(req.prompt);
      const script = scriptFor(req, session);
      const run = new FakeRun(req, hooks, script, session, {
        runNumber: runs.length + 1,
        process: options.process ?? false,
        killAfterMs: options.killAfterMs ?? { term: 500, kill: 1000 },
      });
      runs.push(run.record);
      active += 1;
      for (const w of waiters.filter((w) => w.n === runs.length)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(run.record);
      }
      const done: Promise<AgentOutcome> = run.play().finally(() => (active -= 1));
      return { done, stop: (cause) => run.stop(cause) };
    },
    enqueue(...scripts) {
      queue.push(...scripts.map(asScript));
    },
    runs,
    activeCount: () => active,
    started(n) {
      const run = runs[n - 1];
      if (run) return Promise.resolve(run);
      return new Promise((resolve) => waiters.push({ n, resolve }));
    },
    sessions,
  };
}
