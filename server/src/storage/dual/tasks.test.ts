import { describe, expect, it } from 'vitest';
import type { ProjectRecord } from '../projects-repo.js';
import { buildProject, buildTask, DIALECTS, taskRecord, uid, useStorage } from '../testing/suite.js';

describe.each(DIALECTS)('tasks repository on %s', (dialect) => {
  const db = useStorage(dialect, 'tasks');
  let project: ProjectRecord;
  const tasks = () => db.storage.tasks;
  const freshProject = async () => (project = await buildProject(db.storage));

  it('round-trips every column: booleans, JSON, floats, nulls', async () => {
    await freshProject();
    const record = taskRecord(project, {
      useWorktree: false,
      inputRequired: true,
      pendingInput: {
        requestId: 'r1',
        kind: 'approval',
        live: true,
        toolName: 'Bash',
        toolInput: { command: 'rm -rf build' },
        createdAt: '2026-01-02T00:00:00.000Z',
      },
      costUsd: 0.1 + 0.2,
      maxCostUsd: 12.345678901234,
      options: { ralph: true, maxIterations: 7, vars: { a: 'é"\'\\' }, attachments: [] },
      modeState: { mode: 'planning', phase: 'planning', plan: null },
      iterations: 3,
      branch: 'gluon-task/x',
      health: 'yellow',
      healthReason: 'quiet for 2 min',
      stopReason: 'cost_cap',
      nextPrompt: 'go on',
      startedAt: '2026-01-02T00:00:01.000Z',
    });
    await tasks().insert(record);
    const stored = await tasks().findById(record.id);
    expect(stored).toEqual(record);
    expect(stored!.costUsd).toBe(0.1 + 0.2);
    expect(typeof stored!.lastSeq).toBe('number');
    expect(await tasks().findById('missing')).toBeUndefined();
  });

  it('stores a NUL in text: kept by SQLite, U+FFFD on Postgres, never a failed write', async () => {
    await freshProject();
    const t = await buildTask(db.storage, project, { title: 'a\u0000b', prompt: 'p\u0000' });
    await tasks().update(t.id, { error: 'e\u0000' });
    const nul = dialect === 'postgres' ? '\uFFFD' : '\u0000';
    expect(await tasks().findById(t.id)).toMatchObject({
      title: `a${nul}b`,
      prompt: `p${nul}`,
      error: `e${nul}`,
    });
  });

  it('finds ids by prefix: exact bytes, case-sensitive, no wildcards, at most two', async () => {
    await freshProject();
    for (const id of ['pfxab0001', 'pfxab0002', 'pfxab0003', 'pfxcd0001', 'pfx_e0001']) {
      await buildTask(db.storage, project, { id });
    }
    expect(await tasks().idsByPrefix('pfxcd')).toEqual(['pfxcd0001']);
    expect(await tasks().idsByPrefix('pfxab')).toHaveLength(2);
    expect(await tasks().idsByPrefix('PFXCD')).toEqual([]);
    // `_` and `%` are wildcards in LIKE: a prefix must match them literally.
    expect(await tasks().idsByPrefix('pfx_')).toEqual(['pfx_e0001']);
    expect(await tasks().idsByPrefix('pfx%')).toEqual([]);
    expect(await tasks().idsByPrefix('pfxzz')).toEqual([]);
  });

  it('lists by status and project, newest first, and queued tasks first in first out', async () => {
    await freshProject();
    const other = await buildProject(db.storage);
    const at = (s: number) => `2026-02-01T00:00:0${s}.000Z`;
    const a = await buildTask(db.storage, project, { createdAt: at(1), queuedAt: at(3) });
    const b = await buildTask(db.storage, project, { createdAt: at(2), queuedAt: at(1) });
    const c = await buildTask(db.storage, project, { createdAt: at(3), status: 'review', queuedAt: null });
    await buildTask(db.storage, other, { createdAt: at(4) });
    expect((await tasks().list({ projectId: project.id })).map((t) => t.id)).toEqual([c.id, b.id, a.id]);
    expect((await tasks().list({ projectId: project.id, status: 'review' })).map((t) => t.id)).toEqual([
      c.id,
    ]);
    const queued = (await tasks().listQueued(1000))
      .map((t) => t.id)
      .filter((id) => [a.id, b.id].includes(id));
    expect(queued).toEqual([b.id, a.id]);
    expect(await tasks().listQueued(1)).toHaveLength(1);
  });

  it('changes status only from the expected one, with its patch', async () => {
    await freshProject();
    const t = await buildTask(db.storage, project);
    expect(await tasks().transition(t.id, 'running', 'review', { error: 'no' })).toBe(false);
    expect(await tasks().findById(t.id)).toMatchObject({ status: 'queued', error: null });
    expect(
      await tasks().transition(t.id, 'queued', 'running', {
        startedAt: '2026-03-01T00:00:00.000Z',
        inputRequired: true,
      }),
    ).toBe(true);
    expect(await tasks().findById(t.id)).toMatchObject({
      status: 'running',
      startedAt: '2026-03-01T00:00:00.000Z',
      inputRequired: true,
    });
    expect(await tasks().transition(t.id, 'queued', 'running', {})).toBe(false);
    expect(await tasks().transition(uid('none'), 'queued', 'running', {})).toBe(false);
  });

  it('updates other columns, and moves last_seq only forward', async () => {
    await freshProject();
    const t = await buildTask(db.storage, project, { pendingInput: null });
    await tasks().update(t.id, {
      useWorktree: false,
      pendingInput: null,
      modeState: null,
      costUsd: 1.25,
      sessionId: 's',
    });
    expect(await tasks().findById(t.id)).toMatchObject({ useWorktree: false, costUsd: 1.25, sessionId: 's' });
    await tasks().update(t.id, {});
    await tasks().setLastSeq(t.id, 5);
    await tasks().setLastSeq(t.id, 3);
    expect((await tasks().findById(t.id))!.lastSeq).toBe(5);
    await tasks().setLastSeq(t.id, 9);
    expect((await tasks().findById(t.id))!.lastSeq).toBe(9);
  });
});
