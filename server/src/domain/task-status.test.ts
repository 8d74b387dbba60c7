import { describe, expect, it } from 'vitest';
import { TASK_STATUSES, type TaskStatus } from '../../../shared/api.js';
import {
  checkTransition,
  isResumable,
  isSettled,
  userMoveCause,
  type TransitionCause,
} from './task-status.js';

const allowed: [TaskStatus, TaskStatus, TransitionCause][] = [
  ['queued', 'running', 'start'],
  ['queued', 'cancelled', 'cancel'],
  ['running', 'review', 'run_ended'],
  ['running', 'failed', 'run_failed'],
  ['running', 'failed', 'recover'],
  ['running', 'cancelled', 'cancel'],
  ['running', 'queued', 'pause'],
  ['running', 'queued', 'recover'],
  ['review', 'done', 'accept'],
  ['review', 'queued', 'resume'],
  ['review', 'cancelled', 'cancel'],
  ['done', 'review', 'reopen'],
  ['failed', 'queued', 'resume'],
  ['failed', 'cancelled', 'cancel'],
  ['cancelled', 'queued', 'resume'],
];

describe('checkTransition', () => {
  it.each(allowed)('%s → %s by %s is allowed', (from, to, cause) => {
    expect(checkTransition(from, to, cause)).toEqual({ ok: true });
  });

  it('refuses every pair that is not in the table', () => {
    for (const from of TASK_STATUSES) {
      for (const to of TASK_STATUSES) {
        if (allowed.some(([f, t]) => f === from && t === to)) continue;
        const res = checkTransition(from, to, 'start');
        expect(res.ok, `${from} → ${to}`).toBe(false);
      }
    }
  });

  it.each([
    ['running', 'review', 'accept'],
    ['review', 'done', 'run_ended'],
    ['queued', 'running', 'resume'],
  ] as const)('refuses %s → %s by the wrong cause %s', (from, to, cause) => {
    const res = checkTransition(from, to, cause);
    expect(res).toEqual({ ok: false, message: expect.stringContaining(cause) });
  });
});

describe('userMoveCause', () => {
  it.each([
    ['queued', 'running', 'start'],
    ['running', 'queued', 'pause'],
    ['review', 'done', 'accept'],
    ['review', 'queued', 'resume'],
    ['done', 'review', 'reopen'],
    ['running', 'cancelled', 'cancel'],
    ['failed', 'queued', 'resume'],
  ] as const)('%s → %s means %s', (from, to, cause) => {
    expect(userMoveCause(from, to)).toEqual({ ok: true, cause });
  });

  it.each([
    ['running', 'review'],
    ['running', 'done'],
    ['queued', 'done'],
    ['done', 'running'],
    ['review', 'running'],
  ] as const)('refuses %s → %s with a hint', (from, to) => {
    const res = userMoveCause(from, to);
    expect(res.ok).toBe(false);
    if (!res.ok) expect(res.message).toMatch(new RegExp(`from ${from} to ${to}`));
  });

  it('says when the task is already there', () => {
    expect(userMoveCause('review', 'review')).toEqual({ ok: false, message: 'the task is already review' });
  });
});

describe('status groups', () => {
  it.each([
    ['queued', false, false],
    ['running', false, false],
    ['review', true, true],
    ['done', true, false],
    ['failed', true, true],
    ['cancelled', true, true],
  ] as const)('%s: settled=%s resumable=%s', (status, settled, resumable) => {
    expect(isSettled(status)).toBe(settled);
    expect(isResumable(status)).toBe(resumable);
  });
});
