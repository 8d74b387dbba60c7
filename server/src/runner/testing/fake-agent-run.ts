/**
 * One run of the fake agent: plays its script step by step through the agent hooks, exactly in the shapes
 * the Claude Code adapter reports (events, session, cost, tool decisions, outcome), and stops like it.
 * Not a product module.
 */
import type { NewEvent } from '../../../../shared/events.js';
import type { AgentHooks, AgentOutcome, AgentRunRequest, StopCause } from '../agent.js';
import { FakeCostMeter } from './fake-agent-cost.js';
import { startFakeProcess, type FakeProcess } from './fake-agent-process.js';
import type { FakeContext, FakeRunRecord, FakeScript, FakeSession, FakeStep } from './fake-agent-steps.js';
import { answerQuestions, runWrite, type ToolResult } from './fake-agent-tools.js';

/** How a run ended, before it becomes an outcome. */
type Ending =
  | { kind: 'completed' }
  | { kind: 'error'; message: string; retryable: boolean; reconciled: boolean }
  | { kind: 'stopped' };

const STOPPED = Symbol('stopped');

export interface PlayOptions {
  /** Makes this run's message and tool-use ids unique within the agent. */
  runNumber: number;
  process: boolean;
  killAfterMs: { term: number; kill: number };
}

export class FakeRun {
  readonly record: FakeRunRecord;
  stoppedBy: StopCause | null = null;
  #ended = false;
  #stopSignal: () => void = () => {};
  readonly #stopped = new Promise<typeof STOPPED>((r) => (this.#stopSignal = () => r(STOPPED)));
  readonly #meter = new FakeCostMeter();
  #process: FakeProcess | null = null;
  #message = { n: 0, id: '', blocks: 0 };
  #tools = 0;
  #lastText: string | null = null;
  #denials = 0;
  readonly #ctx: FakeContext;
  readonly #ladder: { termAfterMs: number; killAfterMs: number };

  constructor(
    readonly req: AgentRunRequest,
    readonly hooks: AgentHooks,
    readonly script: FakeScript,
    readonly session: FakeSession | null,
    readonly options: PlayOptions,
  ) {
    this.record = { req, events: [], costs: [], toolRequests: [], stops: [], pid: null, outcome: null };
    this.#ctx = { req, turn: (session?.prompts.length ?? 1) - 1, answers: {}, lastToolResult: null };
    this.#nextMessage();
    this.#ladder = { termAfterMs: options.killAfterMs.term, killAfterMs: options.killAfterMs.kill };
  }

  /** The adapter's stop: the first cause wins; once the agent has said all it will say, nothing changes. */
  stop(cause: StopCause): void {
    this.record.stops.push(cause);
    if (this.stoppedBy || this.#ended) return;
    this.stoppedBy = cause;
    this.#stopSignal();
  }

  /** Plays the script; resolves with the outcome once the "process" is gone. Never rejects. */
  async play(): Promise<AgentOutcome> {
    // The caller gets its handle before the first hook fires, as with a real process.
    await Promise.resolve();
    if (this.options.process) this.#process = await startFakeProcess();
    if (this.#process) {
      this.record.pid = this.#process.pid;
      this.hooks.onProcess(this.#process.pid);
    }
    let ending: Ending;
    try {
      ending = await this.#playSteps();
    } catch (err) {
      ending = {
        kind: 'error',
        message: `fake agent: ${(err as Error).message}`,
        retryable: false,
        reconciled: false,
      };
    }
    this.#ended = true;
    if (this.#process) {
      if (ending.kind === 'stopped' || this.stoppedBy) await this.#process.stop(this.#ladder);
      else await this.#process.finish();
    }
    const outcome = this.#outcome(this.stoppedBy ? { kind: 'stopped' } : ending);
    this.record.outcome = outcome;
    return outcome;
  }

  async #playSteps(): Promise<Ending> {
    if (!this.session) {
      const id = this.req.resumeSessionId;
      return {
        kind: 'error',
        message: `No conversation found with session ID: ${id}`,
        retryable: false,
        reconciled: false,
      };
    }
    this.hooks.onSession(this.session.id);
    this.#emit({
      type: 'run.session',
      data: { sessionId: this.session.id, model: this.req.model, tools: TOOLS },
    });
    const queue = [...this.script.steps];
    while (queue.length > 0) {
      if (this.stoppedBy) return { kind: 'stopped' };
      const step = queue.shift()!;
      if (step.kind === 'dynamic') {
        const next = step.next(this.#ctx);
        queue.unshift(...(Array.isArray(next) ? next : [next]));
        continue;
      }
      const ending = await this.#playStep(step);
      if (ending) return ending;
    }
    return this.stoppedBy ? { kind: 'stopped' } : { kind: 'completed' };
  }

  async #playStep(step: Exclude<FakeStep, { kind: 'dynamic' }>): Promise<Ending | null> {
    switch (step.kind) {
      case 'text':
      case 'thinking':
        this.#block(step.kind, step.text, step.deltas ?? 0);
        return null;
      case 'tool':
        return this.#tool(step.name, step.input, async (input) =>
          step.name === 'Write'
            ? runWrite(this.req.cwd, input)
            : { output: step.output ?? 'ok', isError: step.isError ?? false },
        );
      case 'question':
        return this.#tool('AskUserQuestion', { questions: step.questions }, async (input) => {
          const { result, answers } = answerQuestions(step.questions, input);
          Object.assign(this.#ctx.answers, answers);
          return result;
        });
      case 'usage':
        this.#bill(step.model ?? this.req.model, step.tokens);
        return null;
      case 'error':
        return { kind: 'error', message: step.message, retryable: step.retryable, reconciled: true };
      case 'hang':
        await this.#stopped;
        return { kind: 'stopped' };
      case 'wait':
        return (await this.#untilStopped(step.until())) === STOPPED ? { kind: 'stopped' } : null;
      case 'delay': {
        let timer: NodeJS.Timeout | undefined;
        const slept = new Promise<void>((r) => (timer = setTimeout(r, step.ms)));
        const r = await this.#untilStopped(slept);
        clearTimeout(timer);
        return r === STOPPED ? { kind: 'stopped' } : null;
      }
      case 'crash':
        await this.#process?.kill();
        return {
          kind: 'error',
          message: step.message ?? 'the agent process exited unexpectedly (code 1)',
          retryable: false,
          reconciled: false,
        };
      case 'lose-process':
        await this.#process?.kill();
        return null;
    }
  }

  #block(kind: 'text' | 'thinking', full: string, deltas: number): void {
    const index = this.#message.blocks++;
    const messageId = this.#message.id;
    const size = Math.ceil(full.length / Math.max(deltas, 1));
    for (let i = 0; i < deltas && i * size < full.length; i += 1)
      this.#emit({
        type: 'agent.delta',
        data: { messageId, index, kind, text: full.slice(i * size, (i + 1) * size) },
      });
    if (kind === 'text' && full.trim()) {
      this.#emit({ type: 'agent.text', data: { messageId, text: full, subagent: null } });
      this.#lastText = full;
    } else if (kind === 'thinking' && full) {
      this.#emit({ type: 'agent.thinking', data: { messageId, text: full, subagent: null } });
    }
  }

  /**
   * Rules: the call is announced, then decided by the hooks; a stop while waiting ends the run; allowed
   * tools run with the decision's input; a denial is an error result the agent reads and goes on from,
   * unless the decision interrupts (the run ends: held on purpose, else an error).
   */
  async #tool(
    name: string,
    input: Record<string, unknown>,
    run: (input: Record<string, unknown>) => Promise<ToolResult>,
  ): Promise<Ending | null> {
    this.#message.blocks += 1;
    const toolUseId = `toolu_fake_${this.options.runNumber}_${++this.#tools}`;
    this.#emit({ type: 'tool.called', data: { toolUseId, name, input, subagent: null } });
    const decision = await this.#untilStopped(this.hooks.onToolRequest({ toolUseId, name, input }));
    if (decision === STOPPED || this.stoppedBy) return { kind: 'stopped' };
    this.record.toolRequests.push({ toolUseId, name, decision });
    let result: ToolResult;
    if (decision.allow) result = await run(decision.updatedInput ?? input);
    else {
      this.#denials += 1;
      result = { output: decision.message, isError: true };
    }
    this.#emit({ type: 'tool.result', data: { toolUseId, output: result.output, isError: result.isError } });
    this.#ctx.lastToolResult = result;
    if (decision.allow || !(decision.interrupt || decision.hold)) return null;
    if (decision.hold) {
      this.stoppedBy ??= 'held';
      return { kind: 'completed' };
    }
    return {
      kind: 'error',
      message: `the run was interrupted: ${decision.message}`,
      retryable: false,
      reconciled: true,
    };
  }

  #bill(model: string, tokens: Parameters<FakeCostMeter['add']>[1]): void {
    const { unknownModel } = this.#meter.add(model, tokens);
    this.#nextMessage();
    const runCostUsd = this.#meter.costUsd;
    this.record.costs.push({ runCostUsd });
    this.hooks.onCost({
      runCostUsd,
      byModel: this.#meter.byModel(),
      ...(unknownModel ? { unknownModel } : {}),
    });
  }

  #outcome(ending: Ending): AgentOutcome {
    const reconciles =
      ending.kind === 'completed' ||
      (ending.kind === 'error' && ending.reconciled) ||
      this.stoppedBy === 'held';
    const base = {
      stoppedBy: this.stoppedBy,
      sessionId: this.session?.id ?? this.req.resumeSessionId ?? null,
      finalText: this.#lastText,
      permissionDenials: this.#denials,
    };
    const error =
      ending.kind === 'error' && !this.stoppedBy
        ? { message: ending.message, retryable: ending.retryable }
        : null;
    const cost = reconciles && this.session ? this.#reconcile(this.session) : this.#meter.estimate();
    return { ...base, ok: !this.stoppedBy && !error && cost.reconciled, error, ...cost };
  }

  /** Claude Code's result: the session's total grows by the run, the run's share is read off the prior total. */
  #reconcile(session: FakeSession) {
    const r = this.#meter.reconcile(
      session.totalUsd,
      this.script.reportedCostUsd,
      this.req.priorSessionTotalUsd ?? 0,
      this.req.model,
    );
    session.totalUsd = r.sessionTotalUsd;
    return { ...r, reconciled: true };
  }

  #emit(event: NewEvent): void {
    if (this.stoppedBy) return;
    this.record.events.push(event);
    this.hooks.onEvent(event);
  }

  #nextMessage(): void {
    const n = this.#message.n + 1;
    this.#message = { n, id: `msg_fake_${this.options.runNumber}_${n}`, blocks: 0 };
  }

  #untilStopped<T>(p: Promise<T>): Promise<T | typeof STOPPED> {
    return Promise.race([p, this.#stopped]);
  }
}

const TOOLS = ['Bash', 'Read', 'Write', 'Edit', 'AskUserQuestion', 'TodoWrite'];
