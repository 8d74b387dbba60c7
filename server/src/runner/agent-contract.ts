/**
 * The contract every `Agent` keeps, as one vitest suite to run against each implementation (the fake in
 * testing/fake-agent.test.ts, Claude Code in claude-agent.contract.test.ts). A subject says how to make its
 * agent play each scene — for a real agent, the prompt that picks a script of its fake model API — and the
 * suite checks what Gluon relies on: events and their order, tool decisions, questions, stop, resume,
 * cost live and reconciled, and the outcome's fields. A new agent is one adapter plus one subject.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NewEvent } from '../../../shared/events.js';
import { questionsFromAskUserQuestion } from '../domain/question.js';
import type { Agent, AgentOutcome, AgentRun, ToolDecision } from './agent.js';
import { isGroupAlive } from './process-group.js';

/** What the suite asks an agent to do. Each scene has a fixed shape of model responses (see `RESPONSES`). */
export type ContractScene =
  /** Answer with text only. */
  | { kind: 'text' }
  /** One Write of `content` to `path` (relative to cwd), then a final text. */
  | { kind: 'write'; path: string; content: string }
  /** AskUserQuestion with options; once answered, write the answer to `answer.txt`, then a final text. */
  | { kind: 'question' }
  /** End the turn asking a question; resumed with a reply, write it to `reply.txt`, then a final text. */
  | { kind: 'ask' }
  /** Keep working and spending until stopped. */
  | { kind: 'work' };

/** Billed model responses per scene (the resume of `ask`: 2). */
const RESPONSES = { text: 1, write: 2, question: 3, ask: 1 } as const;

export interface AgentContractSetup {
  agent: Agent;
  model: string;
  /** The agent's complete environment (its fake API, a scratch HOME), the same for every run. */
  env: Record<string, string>;
  /** The prompt that makes this agent play `scene`. */
  prompt(scene: ContractScene): string;
  /** What one model response of these scenes costs, priced with the real pricing table. */
  responseCostUsd: number;
  close(): Promise<void>;
}

export interface AgentContractSubject {
  name: string;
  setup(): Promise<AgentContractSetup>;
}

type Decide = (req: { name: string; input: Record<string, unknown> }) => ToolDecision;

/** Everything one run reported, in the order the hooks were called. */
interface Played {
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

const allowAll: Decide = () => ({ allow: true });

export function describeAgentContract(subject: AgentContractSubject): void {
  describe(`the Agent contract: ${subject.name}`, () => {
    let s: AgentContractSetup;
    let cwd: string;
    beforeAll(async () => {
      s = await subject.setup();
      cwd = await mkdtemp(join(tmpdir(), 'gluon-contract-'));
    });
    afterAll(async () => {
      await s?.close();
      if (cwd) await rm(cwd, { recursive: true, force: true });
    });

    function start(
      prompt: string,
      decide: Decide = allowAll,
      resume: { sessionId: string; totalUsd: number } | null = null,
    ): Played {
      const p: Omit<Played, 'run'> = { log: [], events: [], costs: [], pids: [] };
      const run = s.agent.start(
        {
          prompt,
          cwd,
          model: s.model,
          env: s.env,
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

    /** Runs to the end; checks the rules every run keeps, whatever it did. */
    async function finish(p: Played): Promise<AgentOutcome> {
      const outcome = await p.run.done;
      const seen = p.log.length;
      await new Promise((r) => setTimeout(r, 50));
      expect(p.log.length, 'nothing is reported after done').toBe(seen);
      for (const pid of p.pids) expect(isGroupAlive(pid), `process group ${pid} is gone`).toBe(false);
      expectOrder(p, outcome.stoppedBy === null);
      expectOutcomeShape(outcome);
      return outcome;
    }

    const usd = (responses: number) => responses * s.responseCostUsd;

    it('a text-only turn: text events, no tool call, a finished outcome reconciled at its own cost', async () => {
      const p = start(s.prompt({ kind: 'text' }));
      const o = await finish(p);
      expect(o).toMatchObject({
        ok: true,
        stoppedBy: null,
        error: null,
        reconciled: true,
        permissionDenials: 0,
      });
      const texts = p.events.filter((e) => e.type === 'agent.text');
      expect(texts.length).toBeGreaterThan(0);
      expect(o.finalText).toBe(texts.at(-1)!.data.text);
      expect(p.events.some((e) => e.type === 'tool.called')).toBe(false);
      expect(o.sessionId).toEqual(expect.any(String));
      expect(p.log.filter((l) => l.hook === 'session')).toEqual([
        { hook: 'session', sessionId: o.sessionId },
      ]);
      expect(o.costUsd).toBeCloseTo(usd(RESPONSES.text), 9);
      expect(o.sessionTotalUsd).toBeCloseTo(o.costUsd, 9);
      expectCostsAddUp(p, o, s.model);
      p.run.stop('cancelled');
      expect((await p.run.done).stoppedBy, 'a stop after the end changes nothing').toBeNull();
    });

    it('an allowed tool call is announced, decided, run, and its result follows', async () => {
      const scene = {
        kind: 'write',
        path: 'contract/allowed.txt',
        content: 'written by the contract\n',
      } as const;
      const p = start(s.prompt(scene));
      const o = await finish(p);
      expect(o).toMatchObject({ ok: true, error: null, permissionDenials: 0 });
      expect(await readFile(join(cwd, scene.path), 'utf8')).toBe(scene.content);
      const called = p.events.find((e) => e.type === 'tool.called' && e.data.name === 'Write');
      const asked = p.log.findIndex((l) => l.hook === 'tool' && l.name === 'Write');
      expect(called).toBeDefined();
      expect(p.log.findIndex((l) => l.hook === 'event' && l.event === called)).toBeLessThan(asked);
      const toolUseId = called?.type === 'tool.called' ? called.data.toolUseId : '';
      expect(p.log[asked]).toMatchObject({ toolUseId });
      expect(resultOf(p, toolUseId)).toMatchObject({ isError: false });
      expect(o.costUsd).toBeCloseTo(usd(RESPONSES.write), 9);
      expectCostsAddUp(p, o, s.model);
    });

    it('a denied tool call does not run; the agent reads the denial and finishes its turn', async () => {
      const scene = { kind: 'write', path: 'contract/denied.txt', content: 'must not exist\n' } as const;
      const message = 'Not allowed: the contract denies this write.';
      const p = start(s.prompt(scene), (r) =>
        r.name === 'Write' ? { allow: false, message } : { allow: true },
      );
      const o = await finish(p);
      expect(o).toMatchObject({ ok: true, error: null, permissionDenials: 1 });
      await expect(readFile(join(cwd, scene.path), 'utf8')).rejects.toThrow(/ENOENT/);
      const called = p.events.find((e) => e.type === 'tool.called' && e.data.name === 'Write');
      const result = resultOf(p, called?.type === 'tool.called' ? called.data.toolUseId : '');
      expect(result).toMatchObject({ isError: true });
      expect(result?.output).toContain(message);
    });

    it('a question through AskUserQuestion reaches the decision and its answer reaches the agent', async () => {
      let answer = '';
      const p = start(s.prompt({ kind: 'question' }), (r) => {
        if (r.name !== 'AskUserQuestion') return { allow: true };
        const questions = questionsFromAskUserQuestion(r.input);
        const q = questions?.[0];
        answer = q?.options.at(-1)?.label ?? '';
        return { allow: true, updatedInput: { ...r.input, answers: { [q?.question ?? '']: answer } } };
      });
      const o = await finish(p);
      expect(answer, 'the question has options').not.toBe('');
      expect(o).toMatchObject({ ok: true, error: null });
      expect(await readFile(join(cwd, 'answer.txt'), 'utf8')).toBe(answer);
      expect(o.costUsd).toBeCloseTo(usd(RESPONSES.question), 9);
    });

    it('stop mid-run: the first cause wins, done resolves, no process is left, the cost so far is kept', async () => {
      const p = start(s.prompt({ kind: 'work' }));
      await until(() => p.costs.some((c) => c > 0) && p.events.some((e) => e.type !== 'run.session'));
      const spentBeforeStop = Math.max(...p.costs);
      p.run.stop('cost_cap');
      p.run.stop('cancelled');
      const o = await finish(p);
      expect(o).toMatchObject({ ok: false, stoppedBy: 'cost_cap', error: null });
      expect(p.pids.length, 'the agent reported its process').toBeGreaterThan(0);
      expect(o.costUsd).toBeGreaterThanOrEqual(spentBeforeStop - 1e-12);
    });

    it('resume by session id keeps the session; the second run costs only its own share', async () => {
      const first = await finish(start(s.prompt({ kind: 'ask' })));
      expect(first).toMatchObject({ ok: true, error: null, reconciled: true });
      expect(first.finalText?.trim().endsWith('?')).toBe(true);
      expect(first.sessionTotalUsd).toBeCloseTo(usd(RESPONSES.ask), 9);
      const p = start('spaces', allowAll, { sessionId: first.sessionId!, totalUsd: first.sessionTotalUsd! });
      const second = await finish(p);
      expect(second).toMatchObject({ ok: true, sessionId: first.sessionId, reconciled: true });
      expect(await readFile(join(cwd, 'reply.txt'), 'utf8')).toBe('spaces');
      expect(second.costUsd).toBeCloseTo(usd(2), 9);
      expect(second.sessionTotalUsd).toBeCloseTo(usd(RESPONSES.ask + 2), 9);
      expect(p.costs.at(-1)).toBeCloseTo(usd(2), 9);
    });

    it('resuming a session the agent does not know fails the run with an error', async () => {
      const p = start('hello', allowAll, { sessionId: '00000000-0000-4000-8000-00000000dead', totalUsd: 0 });
      const o = await finish(p);
      expect(o.ok).toBe(false);
      expect(o.stoppedBy).toBeNull();
      expect(o.error?.message).toEqual(expect.any(String));
    });
  });
}

/** The tool.result of a call, if any. */
function resultOf(p: Played, toolUseId: string) {
  const r = p.events.find((e) => e.type === 'tool.result' && e.data.toolUseId === toolUseId);
  return r?.type === 'tool.result' ? r.data : undefined;
}

/**
 * Rules of order: the session event comes first; every tool call is decided after it is announced and its
 * one result follows it; a block's streamed deltas come before the complete block and are a prefix of it
 * (a run that was stopped may leave a block unfinished).
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
function expectCostsAddUp(p: Played, o: AgentOutcome, model: string): void {
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

async function until(cond: () => boolean, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error('timed out waiting for the agent');
    await new Promise((r) => setTimeout(r, 10));
  }
}
