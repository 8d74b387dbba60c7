/**
 * How the Agent contract (agent-contract.ts) drives one run: hooks that record every call in order, and
 * the rules every run keeps whatever it did — nothing after `done`, no process left, events in order, an
 * outcome of the right shape. Not a product module.
 */
import { expect } from 'vitest';
import type { NewEvent } from '../../../shared/events.js';
import type { Agent, AgentOutcome, AgentRun, ToolDecision } from './agent.js';
import { isGroupAlive } from './process-group.js';

export type Decide = (req: { name: string; input: Record<string, unknown> }) => ToolDecision;

/** Everything one run reported, in the order the hooks were called. */
export interface Played {
  run: AgentRun;
  log: (
    | { hook: 'event'; event: NewEvent }
    | { hook: 'tool'; toolUseId: string; name: string; input: Record<string, unknown> }
    | { hook: 'cost'; runCostUsd: number }
    | { hook: 'session'; sessionId: string }
    | { hook: 'process'; pid: number }
  )[];
  events: NewEvent[];
  costs: number[];
  pids: number[];
}

export interface RunTarget {
  agent: Agent;
  model: string;
  env: Record<string, string>;
  cwd: string;
}

export const allowAll: Decide = () => ({ allow: true });

/** Starts a run in `target.cwd`, recording every hook call. */
export function startRun(
  target: RunTarget,
  prompt: string,
  decide: Decide = allowAll,
  resume: { sessionId: string; totalUsd: number } | null = null,
): Played {
  const p: Omit<Played, 'run'> = { log: [], events: [], costs: [], pids: [] };
  const run = target.agent.start(
    {
      prompt,
      cwd: target.cwd,
      model: target.model,
      env: target.env,
      resumeSessionId: resume?.sessionId ?? null,
      priorSessionTotalUsd: resume?.totalUsd ?? 0,
    },
    {
      onEvent: (event) => (p.log.push({ hook: 'event', event }), p.events.push(event)),
      onSession: (sessionId) => p.log.push({ hook: 'session', sessionId }),
      onProcess: (pid) => (p.log.push({ hook: 'process', pid }), p.pids.push(pid)),
      onCost: (c) => (p.log.push({ hook: 'cost', runCostUsd: c.runCostUsd }), p.costs.push(c.runCostUsd)),
      onToolRequest: async (req) => (p.log.push({ hook: 'tool', ...req }), decide(req)),
    },
  );
  return { ...p, run };
}

/** Waits for the run's end and checks the rules every run keeps, whatever it did. */
export async function finishRun(p: Played): Promise<AgentOutcome> {
  const outcome = await p.run.done;
  const seen = p.log.length;
  await new Promise((r) => setTimeout(r, 50));
  expect(p.log.length, 'nothing is reported after done').toBe(seen);
  for (const pid of p.pids) expect(isGroupAlive(pid), `process group ${pid} is gone`).toBe(false);
  expectOrder(p, outcome.stoppedBy === null);
  expectOutcomeShape(outcome);
  return outcome;
}

/** The tool.result of a call, if any. */
export function resultOf(p: Played, toolUseId: string) {
  const r = p.events.find((e) => e.type === 'tool.result' && e.data.toolUseId === toolUseId);
  return r?.type === 'tool.result' ? r.data : undefined;
}

/** The first tool.called event of a tool, if any. */
export function callOf(p: Played, name: string) {
  const c = p.events.find((e) => e.type === 'tool.called' && e.data.name === name);
  return c?.type === 'tool.called' ? c : undefined;
}

/** The decisions asked of Gluon about one tool call (once each, however the agent asks). */
export const decisionsOf = (p: Played, toolUseId: string | undefined) =>
  p.log.filter((l) => l.hook === 'tool' && l.toolUseId === toolUseId);

/**
 * Rules of order: the session event comes first; every tool call's one result follows it; a block's
 * streamed deltas come before the complete block and are a prefix of it (a run that was stopped may
 * leave a block unfinished).
 */
function expectOrder(p: Played, finished: boolean): void {
  const events = p.events;
  if (events.length > 0) expect(events[0]!.type).toBe('run.session');
  const called = new Set<string>();
  const answered = new Set<string>();
  const streamed = new Map<string, string>();
  for (const e of events) {
    if (e.type === 'tool.called') called.add(e.data.toolUseId);
    if (e.type === 'tool.result') {
      expect(called.has(e.data.toolUseId), 'a result follows its call').toBe(true);
      expect(answered.has(e.data.toolUseId), 'one result per call').toBe(false);
      answered.add(e.data.toolUseId);
    }
    if (e.type === 'agent.delta') {
      const key = `${e.data.messageId}:${e.data.kind}:${e.data.index}`;
      streamed.set(key, (streamed.get(key) ?? '') + e.data.text);
    }
    if (e.type === 'agent.text' || e.type === 'agent.thinking') {
      const kind = e.type === 'agent.text' ? 'text' : 'thinking';
      for (const [key, text] of streamed)
        if (key.startsWith(`${e.data.messageId}:${kind}:`) && e.data.text.startsWith(text))
          streamed.delete(key);
    }
  }
  if (finished) expect([...streamed.keys()], 'every streamed block is completed by its text').toEqual([]);
}

/** Live cost never goes down and ends where the reconciled figure is; per-model rows add up to it. */
export function expectCostsAddUp(p: Played, o: AgentOutcome, model: string): void {
  expect(p.costs.length, 'cost is reported live').toBeGreaterThan(0);
  for (let i = 1; i < p.costs.length; i += 1) expect(p.costs[i]!).toBeGreaterThanOrEqual(p.costs[i - 1]!);
  expect(p.costs.at(-1)).toBeCloseTo(o.costUsd, 9);
  expect(o.byModel.reduce((sum, m) => sum + m.costUsd, 0)).toBeCloseTo(o.costUsd, 9);
  expect(o.byModel.map((m) => m.model)).toContain(model);
}

function expectOutcomeShape(o: AgentOutcome): void {
  expect(o).toEqual({
    ok: expect.any(Boolean),
    stoppedBy: o.stoppedBy === null ? null : expect.any(String),
    sessionId: o.sessionId === null ? null : expect.any(String),
    finalText: o.finalText === null ? null : expect.any(String),
    costUsd: expect.any(Number),
    sessionTotalUsd: o.sessionTotalUsd === null ? null : expect.any(Number),
    byModel: expect.any(Array),
    reconciled: expect.any(Boolean),
    error: o.error === null ? null : { message: expect.any(String), retryable: expect.any(Boolean) },
    permissionDenials: expect.any(Number),
  });
  expect(o.ok).toBe(o.stoppedBy === null && o.error === null);
}

/** Polls until `cond` holds (the test's own timeout bounds it). */
export async function until(cond: () => boolean): Promise<void> {
  while (!cond()) await new Promise((r) => setTimeout(r, 10));
}
