import { describe, expect, it } from 'vitest';
import { decideSweep, type SweepDecision, type WorktreeFacts } from './sweep-policy.js';

const DAY = 24 * 60 * 60_000;

/** A done task's clean, merged worktree in Gluon's directory, finished two days ago: removable. */
const removable: WorktreeFacts = {
  main: false,
  insideGluonDir: true,
  prunable: false,
  locked: false,
  taskId: 'abcd1234',
  status: 'done',
  active: false,
  idleMs: 2 * DAY,
  dirty: false,
  unmergedCommits: 0,
};

const keep = (reason: string): SweepDecision => ({ action: 'keep', reason }) as SweepDecision;

describe('decideSweep', () => {
  it.each<[string, Partial<WorktreeFacts>, SweepDecision]>([
    ['clean, merged, done long ago', {}, { action: 'remove', reason: 'merged' }],
    ['cancelled, clean, merged', { status: 'cancelled' }, { action: 'remove', reason: 'merged' }],
    ['an orphan (no task), clean, merged, old', { status: null }, { action: 'remove', reason: 'merged' }],
    ['the user’s checkout', { main: true }, keep('main_worktree')],
    ['outside Gluon’s directory', { insideGluonDir: false }, keep('not_ours')],
    ['outside and gone', { insideGluonDir: false, prunable: true }, keep('not_ours')],
    ['its directory is gone', { prunable: true }, { action: 'forget', reason: 'missing' }],
    [
      'gone even while dirty facts are stale',
      { prunable: true, dirty: true },
      { action: 'forget', reason: 'missing' },
    ],
    ['locked', { locked: true }, keep('locked')],
    ['detached or another branch', { taskId: null }, keep('not_a_task_branch')],
    ['a live run', { active: true }, keep('active')],
    ['queued', { status: 'queued' }, keep('active')],
    ['running', { status: 'running' }, keep('active')],
    ['in review', { status: 'review' }, keep('task_open')],
    ['failed (may be resumed)', { status: 'failed' }, keep('task_open')],
    ['finished an hour ago', { idleMs: 60 * 60_000 }, keep('too_recent')],
    ['finish time unknown', { idleMs: null }, keep('too_recent')],
    ['dirty', { dirty: true }, keep('dirty')],
    ['unpushed, unmerged commits', { unmergedCommits: 3 }, keep('unmerged')],
    ['dirty and unmerged: dirty wins', { dirty: true, unmergedCommits: 1 }, keep('dirty')],
    ['review beats dirty', { status: 'review', dirty: true }, keep('task_open')],
  ])('%s', (_name, facts, expected) => {
    expect(decideSweep({ ...removable, ...facts }, DAY)).toEqual(expected);
  });

  it('a minimum idle time of 0 (prune) removes what finished a moment ago', () => {
    expect(decideSweep({ ...removable, idleMs: 0 }, 0)).toEqual({ action: 'remove', reason: 'merged' });
  });
});
