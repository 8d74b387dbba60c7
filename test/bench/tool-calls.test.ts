import { describe, expect, it } from 'vitest';
import { makeRepoOfSize, rawClaude, rawWorktreeAdd } from '../../bench/baselines.js';
import { marksOfEvents, marksOfLine, toolCallTimes, type ToolMark } from '../../bench/tool-calls.js';
import { startFakeAnthropic } from '../../fakes/anthropic/index.js';
import type { GluonEvent } from '../../shared/events.js';
import { agentEnv, tempDir } from '../e2e/harness.js';

const line = (value: unknown) => JSON.stringify(value);

describe('marksOfLine', () => {
  it('reads the tool_use blocks of an assistant line and the tool_result blocks of a user line', () => {
    const assistant = {
      type: 'assistant',
      message: {
        content: [
          { type: 'text', text: 'two calls' },
          { type: 'tool_use', id: 'toolu_1', name: 'Bash', input: {} },
          { type: 'tool_use', id: 'toolu_2', name: 'Read', input: {} },
        ],
      },
    };
    const user = { type: 'user', message: { content: [{ type: 'tool_result', tool_use_id: 'toolu_1' }] } };
    expect(marksOfLine(line(assistant), 5)).toEqual([
      { at: 5, kind: 'call', id: 'toolu_1' },
      { at: 5, kind: 'call', id: 'toolu_2' },
    ]);
    expect(marksOfLine(line(user), 9)).toEqual([{ at: 9, kind: 'result', id: 'toolu_1' }]);
  });

  it('has no marks for other lines, a user prompt given as text, or a line that is not JSON', () => {
    expect(marksOfLine(line({ type: 'system', subtype: 'init' }), 1)).toEqual([]);
    expect(marksOfLine(line({ type: 'user', message: { content: 'hello' } }), 1)).toEqual([]);
    expect(
      marksOfLine(line({ type: 'user', message: { content: [{ type: 'tool_use', id: 'x' }] } }), 1),
    ).toEqual([]);
    expect(marksOfLine('{"type": "assistant", "mess', 1)).toEqual([]);
  });
});

describe('marksOfEvents', () => {
  it('takes tool.called and tool.result at their ts, and nothing else', () => {
    const event = (seq: number, type: string, ts: string, data: unknown) =>
      ({ seq, taskId: 't', runId: 'r', ts, type, data }) as GluonEvent;
    const marks = marksOfEvents([
      event(1, 'run.session', '2026-12-07T10:00:00.000Z', { sessionId: 's', model: 'm', tools: [] }),
      event(2, 'tool.called', '2026-12-07T10:00:00.010Z', { toolUseId: 'a', name: 'Bash', input: {} }),
      event(3, 'tool.result', '2026-12-07T10:00:00.025Z', { toolUseId: 'a', output: '', isError: false }),
    ]);
    const t0 = Date.parse('2026-12-07T10:00:00.000Z');
    expect(marks).toEqual([
      { at: t0 + 10, kind: 'call', id: 'a' },
      { at: t0 + 25, kind: 'result', id: 'a' },
    ]);
  });
});

describe('toolCallTimes', () => {
  it('gives the median call (request → its result) and turn (result → next request), in time order', () => {
    const marks: ToolMark[] = [
      { at: 130, kind: 'result', id: 'c' },
      { at: 0, kind: 'call', id: 'a' },
      { at: 10, kind: 'result', id: 'a' },
      { at: 30, kind: 'call', id: 'b' },
      { at: 44, kind: 'result', id: 'b' },
      { at: 100, kind: 'call', id: 'c' },
      // A result whose call was never seen counts for nothing.
      { at: 140, kind: 'result', id: 'unknown' },
    ];
    // Calls 10, 14, 30 ms; turns 20, 56 ms (the median of two is the lower).
    expect(toolCallTimes(marks)).toEqual({ call: 14, turn: 20 });
  });

  it('is NaN for a run without tool calls', () => {
    const times = toolCallTimes([]);
    expect(times.call).toBeNaN();
    expect(times.turn).toBeNaN();
  });
});

describe('rawClaude', () => {
  it("reports each of the scenario's tool calls as the real binary printed them", async () => {
    const fake = await startFakeAnthropic();
    try {
      const repo = await makeRepoOfSize(5);
      const { dir } = await rawWorktreeAdd(repo, 'marks');
      const run = await rawClaude(agentEnv(fake, tempDir('tool-calls-home')), dir, {
        prompt: '[[scenario:steps n=3 delay=0]] three steps',
      });
      const calls = run.marks.filter((m) => m.kind === 'call');
      const results = run.marks.filter((m) => m.kind === 'result');
      expect(calls).toHaveLength(3);
      expect(results.map((m) => m.id)).toEqual(calls.map((m) => m.id));
      const times = toolCallTimes(run.marks);
      expect(times.call).toBeGreaterThan(0);
      expect(times.turn).toBeGreaterThan(0);
      expect(Math.max(...run.marks.map((m) => m.at))).toBeLessThanOrEqual(run.exitMs);
    } finally {
      await fake.close();
    }
  }, 60_000);
});
