/**
 * A run held for a human: a planning task's plan ends its run (the agent is held, not failed) and waits in
 * review; approving it runs the same session in execution mode, a denial sends it back to planning.
 * On a real SQLite file and a real git repository with the fake agent.
 */
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { text, tool, write } from '../../runner/testing/fake-agent.js';
import { cleanupRunsBeds, openRunsBed, type RunsBed } from '../testing/runs-bed.js';

let bed: RunsBed;
beforeEach(async () => (bed = await openRunsBed({ worktrees: false })));
afterEach(() => bed.close());
afterAll(cleanupRunsBeds);

const find = async (id: string) => (await bed.storage.tasks.findById(id))!;
const presentPlan = (plan: string) => [
  text('Here is my plan.'),
  tool('ExitPlanMode', { plan }),
  text('never said'),
];

describe('a planning task', () => {
  it('holds its plan in review; approving it runs the same session to the end', async () => {
    bed.agent.enqueue(presentPlan('1. Add CHANGELOG.md'), [write('CHANGELOG.md', '# c\n'), text('Done.')]);
    const created = await bed.create('add a changelog', { profile: 'planning' });
    await bed.watch.ended(created.id);
    const held = await find(created.id);
    expect(held).toMatchObject({ status: 'review', stopReason: 'input_required', inputRequired: true });
    expect(held.pendingInput).toMatchObject({ kind: 'approval', live: false, text: '1. Add CHANGELOG.md' });
    expect(bed.agent.runs[0]!.req.planMode).toBe(true);
    expect(bed.agent.runs[0]!.stops).toEqual([]);
    const [planRun] = await bed.storage.runs.listByTask(created.id);
    expect(planRun).toMatchObject({ kind: 'plan', stopReason: 'input_required', error: null });

    expect(await bed.tasks.approve(created.id)).toMatchObject({ status: 'queued', inputRequired: false });
    await bed.watch.ended(created.id, 2);
    const done = await find(created.id);
    expect(done).toMatchObject({ status: 'review', stopReason: 'completed', inputRequired: false });
    expect(bed.agent.runs[1]!.req).toMatchObject({ planMode: false, resumeSessionId: held.sessionId });
    expect(bed.watch.transitions(created.id)).toEqual([
      'new→queued',
      'queued→running',
      'running→review',
      'review→queued',
      'queued→running',
      'running→review',
    ]);
  });

  it('a denied plan is planned again in the same session', async () => {
    bed.agent.enqueue(presentPlan('1. Rewrite everything'), presentPlan('1. Add one file'));
    const created = await bed.create('add a changelog', { profile: 'planning' });
    await bed.watch.ended(created.id);
    await bed.tasks.deny(created.id, 'smaller, please');
    await bed.watch.ended(created.id, 2);
    const task = await find(created.id);
    expect(task.pendingInput).toMatchObject({ kind: 'approval', text: '1. Add one file' });
    expect(bed.agent.runs[1]!.req).toMatchObject({ planMode: true, resumeSessionId: task.sessionId });
    expect(bed.agent.runs[1]!.req.prompt).toMatch(/smaller, please/);
  });
});
