import { describe, expect, it, vi } from 'vitest';
import type { MergeEntryDto, MergeQueueDto } from '../../../../shared/api.js';
import type { GluonClient } from '../../../../shared/client.js';
import { mergeOne, mergeOutcomeText } from './merge-outcome.js';

const e = (patch: Partial<MergeEntryDto>): MergeEntryDto => ({
  taskId: 't1',
  title: 'T',
  outcome: 'merged',
  reason: null,
  sha: null,
  conflictFiles: null,
  ...patch,
});

describe('mergeOutcomeText', () => {
  it.each([
    [
      e({ reason: 'merged into main as 1a2b3c4 (fast-forward)' }),
      'Merged: merged into main as 1a2b3c4 (fast-forward)',
    ],
    [e({ outcome: 'sent_back', reason: 'conflicts in a.txt' }), 'Sent back to the agent: conflicts in a.txt'],
    [e({ outcome: 'skipped', reason: 'main is checked out' }), 'Not merged: main is checked out'],
    [e({ outcome: 'skipped' }), 'Not merged: skipped'],
  ])('%o → %s', (entry, text) => expect(mergeOutcomeText(entry)).toBe(text));
});

describe('mergeOne', () => {
  const queue = (status: MergeQueueDto['status'], entry: MergeEntryDto): MergeQueueDto => ({
    id: 'q1',
    projectId: 'p1',
    project: 'app',
    baseBranch: 'main',
    method: 'fast-forward',
    status,
    entries: [entry],
    startedAt: '2026-12-06T00:00:00.000Z',
    finishedAt: status === 'running' ? null : '2026-12-06T00:00:01.000Z',
  });

  it('follows the queue to its end and gives its entry', async () => {
    const done = e({ reason: 'merged into main as 1a2b3c4' });
    const api = {
      merge: vi.fn(async () => queue('running', e({ outcome: 'merging' }))),
      mergeQueue: vi.fn(async () => queue('finished', done)),
    };
    expect(await mergeOne(api as unknown as GluonClient, 't1')).toEqual(done);
    expect(api.merge).toHaveBeenCalledWith(['t1']);
  });

  it('says so when the queue was interrupted before its entry was done', async () => {
    const api = {
      merge: vi.fn(async () => queue('running', e({ outcome: 'merging' }))),
      mergeQueue: vi.fn(async () => queue('interrupted', e({ outcome: 'merging' }))),
    };
    const entry = await mergeOne(api as unknown as GluonClient, 't1');
    expect(mergeOutcomeText(entry)).toBe(
      'Not merged: the merge was interrupted (its server stopped); merge again',
    );
  });
});
