import { describe, expect, it } from 'vitest';
import { createTaskDependenciesRepo } from '../task-dependencies-repo.js';
import { buildProject, buildTask, DIALECTS, useStorage } from '../testing/suite.js';

describe.each(DIALECTS)('task dependencies on %s', (dialect) => {
  const db = useStorage(dialect, 'task_dependencies');
  const repo = () => createTaskDependenciesRepo(db.storage.db);

  it('keeps a waiting task out of the queue until every task it waits for is in review or done', async () => {
    const project = await buildProject(db.storage);
    const a = await buildTask(db.storage, project, { status: 'running' });
    const b = await buildTask(db.storage, project, { status: 'queued' });
    const waiting = await buildTask(db.storage, project, { status: 'queued' });
    await repo().add(waiting.id, [a.id, b.id]);
    await repo().add(waiting.id, [a.id]); // again: no change
    const queuedIds = async () => (await db.storage.tasks.listQueued(100)).map((t) => t.id);
    expect(await queuedIds()).toContain(b.id);
    expect(await queuedIds()).not.toContain(waiting.id);
    expect(
      (await repo().listFor([waiting.id]))
        .get(waiting.id)!
        .map((d) => [d.id, d.status])
        .sort(),
    ).toEqual(
      [
        [a.id, 'running'],
        [b.id, 'queued'],
      ].sort(),
    );
    await db.storage.tasks.transition(a.id, 'running', 'review', {});
    await db.storage.tasks.transition(b.id, 'queued', 'failed', {});
    expect(await queuedIds()).not.toContain(waiting.id);
    await db.storage.tasks.transition(b.id, 'failed', 'done', {});
    expect(await queuedIds()).toContain(waiting.id);
    expect((await repo().edges()).get(waiting.id)!.sort()).toEqual([a.id, b.id].sort());
    expect(await repo().dependentsOf(a.id)).toEqual([waiting.id]);
    expect(await repo().dependentsOf(waiting.id)).toEqual([]);
  });
});
