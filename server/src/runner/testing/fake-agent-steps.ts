/**
 * The script language of the fake agent (fake-agent.ts): what one run does, step by step, and small
 * builders for each step. A script reads like the run it stands for:
 *
 *   [thinking('Look first.'), bash('ls', 'README.md'), usage({ input: 100, output: 50 }),
 *    write('notes.md', '# Notes\n'), usage({ input: 120, output: 40 }), text('Done.'), usage({ input: 90, output: 20 })]
 *
 * A `usage` step bills one model message: the text, thinking and tool calls since the previous `usage`
 * step share that message's id. A question at the end of the turn is simply a last `text` that asks.
 * Not a product module.
 */
import type { NewEvent, Question } from '../../../../shared/events.js';
import type { AgentOutcome, AgentRunRequest, StopCause, ToolDecision } from '../agent.js';

/** Token counts of one model message (absent fields are 0). */
export interface FakeTokens {
  input?: number;
  output?: number;
  cacheRead?: number;
  cacheWrite5m?: number;
  cacheWrite1h?: number;
}

/** What a dynamic step sees: the run so far. */
export interface FakeContext {
  req: AgentRunRequest;
  /** How many runs of this session came before this one (0 for a new session). */
  turn: number;
  /** Answers to AskUserQuestion so far in this run, question text → answer. */
  answers: Record<string, string>;
  lastToolResult: { output: string; isError: boolean } | null;
}

export type FakeStep =
  /** Text of the main agent; `deltas` > 0 streams it first in that many `agent.delta` slices. */
  | { kind: 'text'; text: string; deltas?: number }
  | { kind: 'thinking'; text: string; deltas?: number }
  /**
   * A tool call: `tool.called`, then `hooks.onToolRequest`, then `tool.result`. Write really writes
   * `file_path` (inside cwd); other tools answer `output` (default "ok") without running anything.
   */
  | { kind: 'tool'; name: string; input: Record<string, unknown>; output?: string; isError?: boolean }
  /** AskUserQuestion: answered when the decision allows it with `updatedInput.answers`. */
  | { kind: 'question'; questions: Question[] }
  /** One billed model message, priced with the real pricing table (`model` defaults to the run's). */
  | { kind: 'usage'; tokens: FakeTokens; model?: string }
  /** The run ends with an error result (an API error): the cost so far is reported. */
  | { kind: 'error'; message: string; retryable: boolean }
  /** Works until `stop()` (or forever). */
  | { kind: 'hang' }
  /** Waits for `until` to settle (a test's gate), or for `stop()`. */
  | { kind: 'wait'; until: () => Promise<unknown> }
  /** A real timer: the only step that uses one. */
  | { kind: 'delay'; ms: number }
  /** The process dies: the run ends with an error and no result (nothing reconciled). */
  | { kind: 'crash'; message?: string }
  /** The process dies but the run goes on with the next step (a hang after it: a dead agent nobody told). */
  | { kind: 'lose-process' }
  /** Decided when reached, from what the run did so far (e.g. write the answer to a question). */
  | { kind: 'dynamic'; next: (ctx: FakeContext) => FakeStep | FakeStep[] };

export interface FakeScript {
  steps: FakeStep[];
  /** The id a new session gets when this script is queued (default `fake-session-<n>`); ignored on resume. */
  sessionId?: string;
  /** What the agent reports this run cost when it ends (the SDK's figure); default: the live estimate. */
  reportedCostUsd?: number;
}

/** A session the fake agent remembers across runs (resume). */
export interface FakeSession {
  id: string;
  /** Prompts of the session's runs, oldest first. */
  prompts: string[];
  /** What the session cost so far, as the agent reports it (cumulative, like the SDK's total). */
  totalUsd: number;
}

/** What a run did, for a test's assertions. */
export interface FakeRunRecord {
  req: AgentRunRequest;
  events: NewEvent[];
  costs: { runCostUsd: number }[];
  toolRequests: { toolUseId: string; name: string; decision: ToolDecision }[];
  stops: StopCause[];
  pid: number | null;
  outcome: AgentOutcome | null;
}

export const text = (t: string, opts: { deltas?: number } = {}): FakeStep => ({
  kind: 'text',
  text: t,
  ...opts,
});
export const thinking = (t: string, opts: { deltas?: number } = {}): FakeStep => ({
  kind: 'thinking',
  text: t,
  ...opts,
});
export const tool = (
  name: string,
  input: Record<string, unknown>,
  result: { output?: string; isError?: boolean } = {},
): FakeStep => ({ kind: 'tool', name, input, ...result });
export const bash = (command: string, output = '', isError = false): FakeStep =>
  tool('Bash', { command, description: `Run ${command}` }, { output, isError });
/** A Write tool call that really writes `path` (relative to the run's cwd) once allowed. */
export const write = (path: string, content: string): FakeStep => tool('Write', { file_path: path, content });
export const question = (q: string, options: string[], header = 'Question'): FakeStep => ({
  kind: 'question',
  questions: [{ question: q, header, options: options.map((label) => ({ label })), multiSelect: false }],
});
export const usage = (tokens: FakeTokens, model?: string): FakeStep => ({
  kind: 'usage',
  tokens,
  ...(model ? { model } : {}),
});
export const error = (message: string, opts: { retryable?: boolean } = {}): FakeStep => ({
  kind: 'error',
  message,
  retryable: opts.retryable ?? false,
});
export const hang = (): FakeStep => ({ kind: 'hang' });
export const waitFor = (until: () => Promise<unknown>): FakeStep => ({ kind: 'wait', until });
export const delay = (ms: number): FakeStep => ({ kind: 'delay', ms });
export const crash = (message?: string): FakeStep => ({ kind: 'crash', ...(message ? { message } : {}) });
export const loseProcess = (): FakeStep => ({ kind: 'lose-process' });
export const dynamic = (next: (ctx: FakeContext) => FakeStep | FakeStep[]): FakeStep => ({
  kind: 'dynamic',
  next,
});

/** A gate a `waitFor` step can wait on: the test opens it when the run may go on. */
export function createGate(): { wait: () => Promise<void>; open: () => void } {
  let open: () => void = () => {};
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { wait: () => opened, open };
}
