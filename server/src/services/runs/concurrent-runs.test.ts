/**
 * Several runs at once, on one real SQLite file with the fake agent: each task's events are numbered 1..N
 * without a gap or a repeat, stored and published in that order, whatever the interleaving of the agents,
 * their cost ticks, a cancel, and the status changes around them.
 */
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { GluonEvent } from '../../../../shared/events.js';
import {
  bash,
  createFakeAgent,
  createGate,
  hang,
  text,
  thinking,
  usage,
  waitFor,
  write,
  type FakeStep,
} from '../../runner/testing/fake-agent.js';
import { cleanupRunsBeds, openRunsBed, type RunsBed } from '../testing/runs-bed.js';

let bed: RunsBed;
afterEach(() => bed.close());
afterAll(cleanupRunsBeds);

const range = (n: number) => Array.from({ length: n }, (_, i) => i + 1);

/** A busy run: streamed text and thinking, tool calls, usage; it waits at `gate` once, mid-stream. */
function busy(n: number, gate: () => Promise<void>, end: FakeStep = text(`Task ${n} done.`)): FakeStep[] {
  return [
    thinking(`Plan for task ${n}.`, { deltas: 4 }),
    text(`Starting task ${n}.`, { deltas: 6 }),
    usage({ input: 1000 * n, output: 100 }),
    waitFor(gate),
    bash('ls', 'README.md'),
    write(`file-${n}.md`, `${n}\n`),
    usage({ input: 500, output: 50 * n }),
    text(`More on task ${n}.`, { deltas: 9 }),
    end,
  ];
}

describe('events of concurrent runs', () => {
  it('are numbered 1..N per task without gaps, stored and published in order', async () => {
    const gate = createGate();
    const count = 5;
    // Each task's script by its prompt ("task <n>"); the third hangs until it is cancelled.
    const plan = (req: { prompt: string }) => {
      const n = Number(req.prompt.split(' ')[1]);
      return busy(n, gate.wait, n === 3 ? hang() : undefined);
    };
    const agent = createFakeAgent({ plan });
    bed = await openRunsBed({ agent, config: { maxConcurrentTasks: count }, worktrees: false });
    const tasks = await Promise.all(range(count).map((n) => bed.create(`task ${n}`)));
    await bed.agent.started(count);
    expect(bed.runs.activeCount()).toBe(count);
    gate.open();
    await bed.watch.event(tasks[2]!.id, (e) => e.type === 'agent.text' && /More on task 3/.test(e.data.text));
    const cancelling = bed.tasks.cancel(tasks[2]!.id);
    await Promise.all([cancelling, ...tasks.map((t) => bed.watch.ended(t.id))]);
    await bed.events.flush();

    for (const [i, t] of tasks.entries()) {
      const stored = await bed.storage.events.listAfter(t.id, 0, 10_000);
      expect(stored.map((e) => e.seq)).toEqual(range(stored.length));
      const published = bed.watch.seen.filter((e) => e.taskId === t.id);
      expect(published.map((e) => e.seq)).toEqual(range(stored.length));
      expect((await bed.storage.tasks.findById(t.id))!.lastSeq).toBe(stored.length);
      // Every event the agent reported is there, in the agent's order.
      const reported = bed.agent.runs.find((r) => r.req.env.GLUON_TASK_ID === t.id)!.events;
      const fromAgent = stored.filter((e) => reported.some((r) => r.type === e.type && sameData(r, e)));
      expect(fromAgent.map((e) => e.type)).toEqual(reported.map((r) => r.type));
      expect((await bed.storage.tasks.findById(t.id))!.status).toBe(i === 2 ? 'cancelled' : 'review');
    }
  });

  it('a task’s numbering goes on across its runs', async () => {
    bed = await openRunsBed({ worktrees: false });
    bed.agent.enqueue([text('One.', { deltas: 3 })], [text('Two.', { deltas: 3 })]);
    const task = await bed.create('twice');
    await bed.watch.ended(task.id);
    await bed.tasks.resume(task.id, 'again');
    await bed.watch.ended(task.id, 2);
    await bed.events.flush();
    const stored = await bed.storage.events.listAfter(task.id, 0, 10_000);
    expect(stored.map((e) => e.seq)).toEqual(range(stored.length));
    expect(new Set(stored.map((e) => e.runId).filter(Boolean)).size).toBe(2);
  });
});

describe('the queue over real runs', () => {
  it('never runs more than its limit at once, and runs every task once', async () => {
    const gate = createGate();
    let maxActive = 0;
    const agent = createFakeAgent({
      plan: () => {
        // Called as each run starts, itself counted once its `start` returns.
        maxActive = Math.max(maxActive, agent.activeCount() + 1);
        return [waitFor(gate.wait), text('Done.')];
      },
    });
    bed = await openRunsBed({ agent, config: { maxConcurrentTasks: 2 }, worktrees: false });
    const tasks = [];
    for (const n of range(5)) tasks.push(await bed.create(`task ${n}`));
    await bed.agent.started(2);
    await bed.scheduler.kick();
    expect([bed.agent.runs.length, bed.runs.activeCount()]).toEqual([2, 2]);
    gate.open();
    await Promise.all(tasks.map((t) => bed.watch.ended(t.id)));
    expect(maxActive).toBe(2);
    expect(bed.agent.runs.map((r) => r.req.prompt).sort()).toEqual(range(5).map((n) => `task ${n}`));
  });
});

function sameData(reported: { data: unknown }, stored: GluonEvent): boolean {
  return JSON.stringify(reported.data) === JSON.stringify(stored.data);
}
