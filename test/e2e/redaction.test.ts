/**
 * Secrets an agent meets do not leave Gluon: not in a tool call waiting for approval (on the task and in
 * its event), not in an error (the task's, the run's, the event's), not in streamed text. The real Claude
 * Code against the scripted fake API; the secrets are shapes the old hand-grown patterns missed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GluonEvent } from '../../shared/events.js';
import { settled, startGluon, waitForTask, type Gluon } from './harness.js';

const PASSWORD = 'Tr0ub4dor-and-3';
const R = '[REDACTED]';

describe('secrets stay out of tasks, runs and events', () => {
  let g: Gluon;
  beforeAll(async () => {
    g = await startGluon();
  });
  afterAll(async () => g?.close());

  const events = async (id: string): Promise<GluonEvent[]> => (await g.client.events(id)).events;

  it('a tool call waiting for approval shows its input redacted, on the task and in the event', async () => {
    const cmd = `PGPASSWORD=${PASSWORD} psql postgres://app:${PASSWORD}@db.internal/app -c 'select 1'`;
    const created = await g.client.createTask({
      project: 'sample',
      prompt: `[[scenario:bash cmd="${cmd}"]] check the database`,
      approval: 'strict',
    });
    const waiting = await waitForTask(g.client, created.id, (t) => t.inputRequired, 'the approval');
    expect(waiting.pendingInput).toMatchObject({
      kind: 'approval',
      toolName: 'Bash',
      toolInput: { command: `PGPASSWORD=${R} psql postgres://app:${R}@db.internal/app -c 'select 1'` },
    });
    const requested = (await events(created.id)).find((e) => e.type === 'input.requested');
    expect(JSON.stringify(requested)).toContain(`postgres://app:${R}@db.internal`);
    await g.client.deny(created.id, 'not now');
    await waitForTask(g.client, created.id, settled, 'the task to settle');
    expect(JSON.stringify(await events(created.id))).not.toContain(PASSWORD);
  });

  it('an error quoting a secret reaches the task, the run and its event redacted', async () => {
    const created = await g.client.createTask({
      project: 'sample',
      prompt: `[[scenario:fail status=400 message="cannot reach postgres://app:${PASSWORD}@db.internal/app"]] go`,
    });
    const failed = await waitForTask(g.client, created.id, settled, 'the failure');
    expect(failed.status).toBe('failed');
    expect(failed.error).toContain(`postgres://app:${R}@db.internal`);
    const [run] = await g.client.runs(created.id);
    expect(run!.error).toContain(`postgres://app:${R}@db.internal`);
    const all = await events(created.id);
    expect(all.some((e) => e.type === 'run.error')).toBe(true);
    expect(JSON.stringify(all)).not.toContain(PASSWORD);
  });

  it('text the agent streams and the output of its tools never show a secret', async () => {
    const created = await g.client.createTask({
      project: 'sample',
      prompt: `[[scenario:bash cmd="echo DB_PASSWORD=${PASSWORD}"]] print the settings`,
    });
    const done = await waitForTask(g.client, created.id, settled, 'the task to finish');
    expect(done.status).toBe('review');
    const all = await events(created.id);
    const streamed = all.filter((e) => e.type === 'agent.delta' || e.type === 'agent.text');
    expect(streamed.length).toBeGreaterThan(0);
    expect(JSON.stringify(streamed)).toContain(`DB_PASSWORD=${R}`);
    expect(JSON.stringify(all.filter((e) => e.type === 'tool.result'))).toContain(`DB_PASSWORD=${R}`);
    expect(JSON.stringify(all)).not.toContain(PASSWORD);
  });
});
