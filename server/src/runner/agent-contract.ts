/**
 * The contract every `Agent` keeps, as one vitest suite to run against each implementation (the fake in
 * testing/fake-agent.test.ts, Claude Code in claude-agent.contract.test.ts). A subject says how to make its
 * agent play each scene — for a real agent, the prompt that picks a script of its fake model API — and the
 * suite checks what Gluon relies on: events and their order, tool decisions, questions, stop, resume,
 * cost live and reconciled, and the outcome's fields. A new agent is one adapter plus one subject.
 */
import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { questionsFromAskUserQuestion } from '../domain/question.js';
import type { AgentCapabilities } from '../../../shared/api.js';
import type { Agent } from './agent.js';
import {
  allowAll,
  callOf,
  decisionsOf,
  expectCostsAddUp,
  finishRun,
  resultOf,
  startRun,
  until,
  type Decide,
  type RunTarget,
} from './agent-contract-harness.js';

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

/** Billed model responses per scene; the resume of `ask` makes two more. */
const RESPONSES = { text: 1, write: 2, question: 3, ask: 1, askResumed: 2 } as const;

export interface AgentContractSetup {
  agent: Agent;
  model: string;
  /** The agent's complete environment (its fake API, a scratch HOME), the same for every run. */
  env: Record<string, string>;
  /** The prompt that makes this agent play `scene`. */
  prompt(scene: ContractScene): string;
  /** What one model response of these scenes costs, priced with the real pricing table. */
  responseCostUsd: number;
  /** The tool the agent announces when it writes a file (Claude Code: `Write`; Codex runs a command: `Bash`). */
  writeTool?: string;
  close(): Promise<void>;
}

export interface AgentContractSubject {
  name: string;
  /** What the agent declares it can do; the checks of what it lacks are skipped, never faked. */
  capabilities: AgentCapabilities;
  setup(): Promise<AgentContractSetup>;
}

/** What each check gets: where to run, how to pick a scene, what a response costs. */
interface Ctx extends RunTarget {
  setup: AgentContractSetup;
  usd(responses: number): number;
}

/** Declares the contract suite for one implementation. */
export function describeAgentContract(subject: AgentContractSubject): void {
  describe(`the Agent contract: ${subject.name}`, () => {
    let ctx: Ctx;
    beforeAll(async () => {
      const setup = await subject.setup();
      const cwd = await mkdtemp(join(tmpdir(), 'gluon-contract-'));
      // Agents work in a task's git worktree; some (Codex) refuse any other directory.
      execFileSync('git', ['init', '-q', '-b', 'main', cwd]);
      const usd = (responses: number) => responses * setup.responseCostUsd;
      ctx = { setup, agent: setup.agent, model: setup.model, env: setup.env, cwd, usd };
    });
    afterAll(async () => {
      await ctx?.setup.close();
      if (ctx) await rm(ctx.cwd, { recursive: true, force: true });
    });
    it('a text-only turn: text events, no tool call, a finished outcome reconciled at its own cost', () =>
      textTurn(ctx));
    it('an allowed tool call is announced, decided (when the agent takes approvals), run, and its result follows', () =>
      allowedTool(ctx));
    // What an agent cannot do it declares (`capabilities`), and Gluon refuses the policies that need it.
    it.runIf(subject.capabilities.approvals)(
      'a denied tool call does not run; the agent reads the denial and finishes its turn',
      () => deniedTool(ctx),
    );
    it.runIf(subject.capabilities.questions)(
      'a question through AskUserQuestion reaches the decision and its answer reaches the agent',
      () => askUserQuestion(ctx),
    );
    it('stop mid-run: the first cause wins, done resolves, no process is left, the cost so far is kept', () =>
      stopMidRun(ctx));
    it('resume by session id keeps the session; the second run costs only its own share', () =>
      resumeSession(ctx));
    it('resuming a session the agent does not know fails the run with an error', () => unknownSession(ctx));
  });
}

async function textTurn(ctx: Ctx): Promise<void> {
  const p = startRun(ctx, ctx.setup.prompt({ kind: 'text' }));
  const o = await finishRun(p);
  expect(o).toMatchObject({ ok: true, stoppedBy: null, error: null, reconciled: true, permissionDenials: 0 });
  const texts = p.events.filter((e) => e.type === 'agent.text');
  expect(texts.length).toBeGreaterThan(0);
  expect(o.finalText).toBe(texts.at(-1)!.data.text);
  expect(p.events.some((e) => e.type === 'tool.called')).toBe(false);
  expect(o.sessionId).toEqual(expect.any(String));
  expect(p.log.filter((l) => l.hook === 'session')).toEqual([{ hook: 'session', sessionId: o.sessionId }]);
  expect(o.costUsd).toBeCloseTo(ctx.usd(RESPONSES.text), 9);
  expect(o.sessionTotalUsd).toBeCloseTo(o.costUsd, 9);
  expectCostsAddUp(p, o, ctx.model);
  p.run.stop('cancelled');
  expect((await p.run.done).stoppedBy, 'a stop after the end changes nothing').toBeNull();
}

async function allowedTool(ctx: Ctx): Promise<void> {
  const scene = {
    kind: 'write',
    path: 'contract/allowed.txt',
    content: 'written by the contract\n',
  } as const;
  const p = startRun(ctx, ctx.setup.prompt(scene));
  const o = await finishRun(p);
  expect(o).toMatchObject({ ok: true, error: null, permissionDenials: 0 });
  expect(await readFile(join(ctx.cwd, scene.path), 'utf8')).toBe(scene.content);
  const tool = ctx.setup.writeTool ?? 'Write';
  const called = callOf(p, tool);
  expect(called).toBeDefined();
  if (ctx.agent.capabilities.approvals) {
    const asked = p.log.findIndex((l) => l.hook === 'tool' && l.name === tool);
    expect(
      p.log.findIndex((l) => l.hook === 'event' && l.event === called),
      'announced, then decided',
    ).toBeLessThan(asked);
    expect(p.log[asked]).toMatchObject({ toolUseId: called?.data.toolUseId });
    expect(decisionsOf(p, called?.data.toolUseId), 'decided once').toHaveLength(1);
  }
  expect(resultOf(p, called?.data.toolUseId ?? '')).toMatchObject({ isError: false });
  expect(o.costUsd).toBeCloseTo(ctx.usd(RESPONSES.write), 9);
  expectCostsAddUp(p, o, ctx.model);
}

async function deniedTool(ctx: Ctx): Promise<void> {
  const scene = { kind: 'write', path: 'contract/denied.txt', content: 'must not exist\n' } as const;
  const message = 'Not allowed: the contract denies this write.';
  const deny: Decide = (r) => (r.name === 'Write' ? { allow: false, message } : { allow: true });
  const p = startRun(ctx, ctx.setup.prompt(scene), deny);
  const o = await finishRun(p);
  expect(o).toMatchObject({ ok: true, error: null, permissionDenials: 1 });
  await expect(readFile(join(ctx.cwd, scene.path), 'utf8')).rejects.toThrow(/ENOENT/);
  const result = resultOf(p, callOf(p, 'Write')?.data.toolUseId ?? '');
  expect(result).toMatchObject({ isError: true });
  expect(result?.output).toContain(message);
  expect(decisionsOf(p, callOf(p, 'Write')?.data.toolUseId), 'decided once').toHaveLength(1);
}

async function askUserQuestion(ctx: Ctx): Promise<void> {
  let answer = '';
  const answerLast: Decide = (r) => {
    if (r.name !== 'AskUserQuestion') return { allow: true };
    const q = questionsFromAskUserQuestion(r.input)?.[0];
    answer = q?.options.at(-1)?.label ?? '';
    return { allow: true, updatedInput: { ...r.input, answers: { [q?.question ?? '']: answer } } };
  };
  const o = await finishRun(startRun(ctx, ctx.setup.prompt({ kind: 'question' }), answerLast));
  expect(answer, 'the question has options').not.toBe('');
  expect(o).toMatchObject({ ok: true, error: null });
  expect(await readFile(join(ctx.cwd, 'answer.txt'), 'utf8')).toBe(answer);
  expect(o.costUsd).toBeCloseTo(ctx.usd(RESPONSES.question), 9);
}

async function stopMidRun(ctx: Ctx): Promise<void> {
  const p = startRun(ctx, ctx.setup.prompt({ kind: 'work' }));
  await until(() => p.costs.some((c) => c > 0) && p.events.some((e) => e.type !== 'run.session'));
  const spentBeforeStop = Math.max(...p.costs);
  p.run.stop('cost_cap');
  p.run.stop('cancelled');
  const o = await finishRun(p);
  expect(o).toMatchObject({ ok: false, stoppedBy: 'cost_cap', error: null });
  expect(p.pids.length, 'the agent reported its process').toBeGreaterThan(0);
  expect(o.costUsd).toBeGreaterThanOrEqual(spentBeforeStop - 1e-12);
}

async function resumeSession(ctx: Ctx): Promise<void> {
  const first = await finishRun(startRun(ctx, ctx.setup.prompt({ kind: 'ask' })));
  expect(first).toMatchObject({ ok: true, error: null, reconciled: true });
  expect(first.finalText?.trim().endsWith('?')).toBe(true);
  expect(first.sessionTotalUsd).toBeCloseTo(ctx.usd(RESPONSES.ask), 9);
  const resume = { sessionId: first.sessionId!, totalUsd: first.sessionTotalUsd! };
  const p = startRun(ctx, 'spaces', allowAll, resume);
  const second = await finishRun(p);
  expect(second).toMatchObject({ ok: true, sessionId: first.sessionId, reconciled: true });
  expect(await readFile(join(ctx.cwd, 'reply.txt'), 'utf8')).toBe('spaces');
  expect(second.costUsd).toBeCloseTo(ctx.usd(RESPONSES.askResumed), 9);
  expect(second.sessionTotalUsd).toBeCloseTo(ctx.usd(RESPONSES.ask + RESPONSES.askResumed), 9);
  expect(p.costs.at(-1), 'live cost is the run’s own too').toBeCloseTo(ctx.usd(RESPONSES.askResumed), 9);
}

async function unknownSession(ctx: Ctx): Promise<void> {
  const resume = { sessionId: '00000000-0000-4000-8000-00000000dead', totalUsd: 0 };
  const o = await finishRun(startRun(ctx, 'hello', allowAll, resume));
  expect(o.ok).toBe(false);
  expect(o.stoppedBy).toBeNull();
  expect(o.error?.message).toEqual(expect.any(String));
}
