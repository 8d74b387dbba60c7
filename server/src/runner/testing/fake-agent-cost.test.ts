/**
 * The fake agent's money: messages priced with the real pricing table and reported live, an unknown model
 * flagged once, the end reconciled like Claude Code's result (a cumulative session total, the run's share
 * read off the prior total the caller gives), and what an error or a crash leaves.
 */
import { rm } from 'node:fs/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createFakeAgent, crash, error, text, usage } from './fake-agent.js';
import { record, tempCwd } from './fake-agent-harness.js';

let cwd: string;
beforeEach(async () => (cwd = await tempCwd()));
afterEach(() => rm(cwd, { recursive: true, force: true }));

/** Sonnet: $3/M in, $15/M out. */
const SONNET_100_50 = 0.00105;

describe('the fake agent: cost', () => {
  it('prices every token kind with the real table and reports the running total per message', async () => {
    const agent = createFakeAgent({
      plan: () => [
        usage({ input: 100, output: 50 }),
        // Opus 4.5: $5 in, $25 out, $6.25 5-minute writes, $10 1-hour writes, $0.50 reads (per million).
        usage(
          { input: 1000, output: 200, cacheRead: 10_000, cacheWrite5m: 2000, cacheWrite1h: 1000 },
          'claude-opus-4-5',
        ),
        text('Done.'),
      ],
    });
    const r = record(agent, { cwd });
    const o = await r.run.done;
    expect(r.costs.map((c) => c.runCostUsd)).toEqual([SONNET_100_50, SONNET_100_50 + 0.0375]);
    expect(o.costUsd).toBeCloseTo(SONNET_100_50 + 0.0375, 12);
    expect(o.byModel).toEqual([
      {
        model: 'claude-sonnet-4-5',
        costUsd: SONNET_100_50,
        inputTokens: 100,
        outputTokens: 50,
        cacheWriteTokens: 0,
        cacheReadTokens: 0,
      },
      {
        model: 'claude-opus-4-5',
        costUsd: 0.0375,
        inputTokens: 1000,
        outputTokens: 200,
        cacheWriteTokens: 3000,
        cacheReadTokens: 10_000,
      },
    ]);
  });

  it('flags a model without a price once, and does not price it at all', async () => {
    const agent = createFakeAgent({
      plan: () => [usage({ input: 10 }, 'claude-future-9'), usage({ input: 10 }, 'claude-future-9')],
    });
    const r = record(agent, { cwd });
    await r.run.done;
    expect(r.costs.map((c) => c.unknownModel)).toEqual(['claude-future-9', undefined]);
    expect(r.costs.map((c) => c.runCostUsd)).toEqual([0, 0]);
  });

  it("the agent's own figure wins at the end; per-model rows are scaled to it", async () => {
    const agent = createFakeAgent();
    agent.enqueue({ steps: [usage({ input: 100, output: 50 }), text('Done.')], reportedCostUsd: 0.01 });
    const o = await record(agent, { cwd }).run.done;
    expect(o).toMatchObject({ reconciled: true, costUsd: 0.01, sessionTotalUsd: 0.01 });
    expect(o.byModel[0]!.costUsd).toBeCloseTo(0.01, 12);
  });

  it('a resume reports the cumulative session total; its own cost depends on the prior total it is given', async () => {
    const agent = createFakeAgent({ plan: () => [usage({ input: 100, output: 50 }), text('Done.')] });
    const first = await record(agent, { cwd }).run.done;
    const resume = (prior: number) =>
      record(agent, { cwd, resumeSessionId: first.sessionId, priorSessionTotalUsd: prior }).run.done;
    const right = await resume(SONNET_100_50);
    expect(right.costUsd).toBeCloseTo(SONNET_100_50, 12);
    expect(right.sessionTotalUsd).toBeCloseTo(2 * SONNET_100_50, 12);
    // A caller that forgets the prior total is charged the whole session again, as with the real SDK.
    const forgot = await resume(0);
    expect(forgot.costUsd).toBeCloseTo(3 * SONNET_100_50, 12);
    // A prior total above the session's keeps the estimate (the session was reset).
    const tooHigh = await resume(1);
    expect(tooHigh.costUsd).toBeCloseTo(SONNET_100_50, 12);
  });

  it('an error result keeps the cost and the session total; a crash adds nothing to the session', async () => {
    const agent = createFakeAgent();
    agent.enqueue([
      usage({ input: 100, output: 50 }),
      error('API Error: 529 overloaded', { retryable: true }),
    ]);
    const failed = await record(agent, { cwd }).run.done;
    expect(failed).toMatchObject({ ok: false, reconciled: true, error: { retryable: true } });
    expect(failed.sessionTotalUsd).toBeCloseTo(SONNET_100_50, 12);
    agent.enqueue([usage({ input: 100, output: 50 }), crash()]);
    const crashed = await record(agent, { cwd, resumeSessionId: failed.sessionId }).run.done;
    expect(crashed).toMatchObject({ reconciled: false, sessionTotalUsd: null });
    expect(crashed.costUsd).toBeCloseTo(SONNET_100_50, 12);
    expect(agent.sessions.get(failed.sessionId!)!.totalUsd).toBeCloseTo(SONNET_100_50, 12);
  });
});
