import { describe, expect, it } from 'vitest';
import {
  checkMergeRequest,
  forksSession,
  mergeTarget,
  outputTail,
  verifyFailurePrompt,
  verifyFailureReason,
  type MergeCandidate,
} from './merge-queue.js';

const t = (id: string, over: Partial<MergeCandidate> = {}): MergeCandidate => ({
  id,
  title: `T ${id}`,
  status: 'review',
  projectId: 'p1',
  branch: `gluon-task/${id}`,
  ...over,
});

describe('checkMergeRequest', () => {
  it.each([
    ['one task in review', [t('a')], { ok: true }],
    ['several of one project, all in review', [t('a'), t('b'), t('c')], { ok: true }],
    [
      'a task named twice',
      [t('a'), t('b'), t('a')],
      { ok: false, status: 422, code: 'duplicate_task', message: '“T a” (a) is named twice' },
    ],
    [
      'tasks of two projects',
      [t('a'), t('b', { projectId: 'p2' })],
      { ok: false, status: 422, code: 'mixed_projects' },
    ],
    [
      'a running task',
      [t('a'), t('b', { status: 'running' })],
      {
        ok: false,
        status: 409,
        code: 'task_not_in_review',
        message: '“T b” (b) is running, not in review; only reviewed work is merged',
      },
    ],
    ['a done task', [t('a', { status: 'done' })], { ok: false, status: 409, code: 'task_not_in_review' }],
    ['a task without a branch', [t('a', { branch: null })], { ok: false, status: 409, code: 'no_branch' }],
    [
      'a duplicate is named before a status',
      [t('a', { status: 'failed' }), t('a', { status: 'failed' })],
      { ok: false, code: 'duplicate_task' },
    ],
  ] as const)('%s', (_name, tasks, expected) => {
    expect(checkMergeRequest(tasks)).toMatchObject(expected);
  });
});

describe('mergeTarget', () => {
  it.each([
    ['main', 'main', 'main'],
    ['release', 'main', 'release'],
    ['gluon-task/abc123', 'main', 'main'],
  ])('base %s, default %s → %s', (base, def, expected) => {
    expect(mergeTarget(base, def)).toBe(expected);
  });
});

describe('outputTail', () => {
  it('keeps the last lines and trims the end', () => {
    const text = Array.from({ length: 100 }, (_, i) => `line ${i + 1}`).join('\n') + '\n\n';
    const tail = outputTail(text, 3);
    expect(tail).toBe('line 98\nline 99\nline 100');
  });
  it('cuts a long tail from its start, marked', () => {
    expect(outputTail('x'.repeat(50), 10, 10)).toBe(`…${'x'.repeat(10)}`);
  });
});

describe('verifyFailureReason and verifyFailurePrompt', () => {
  it.each([
    [{ command: 'npm test', exitCode: 1, timedOut: false }, 'verify `npm test` exited 1'],
    [{ command: 'npm test', exitCode: null, timedOut: true }, 'verify `npm test` ran out of time'],
    [{ command: 'nope', exitCode: null, timedOut: false }, 'verify `nope` could not run'],
  ])('%o → %s', (v, expected) => {
    expect(verifyFailureReason(v)).toBe(expected);
  });
  it('names the target and carries the output tail', () => {
    const prompt = verifyFailurePrompt(
      { command: 'npm test', exitCode: 2, timedOut: false, output: 'ok 1\nnot ok 2 - adds\n' },
      'main',
    );
    expect(prompt).toContain('onto main');
    expect(prompt).toContain('verify `npm test` exited 2');
    expect(prompt).toContain('```\nok 1\nnot ok 2 - adds\n```');
  });
  it('says when there was no output', () => {
    const v = { command: 'false', exitCode: 1, timedOut: false, output: '' };
    expect(verifyFailurePrompt(v, 'main')).toContain('(no output)');
  });
});

describe('forksSession', () => {
  it.each([
    ['a task that was not forked', { sessionId: 's1' }, false],
    ['a fork before its first run', { sessionId: 's1', forkedFrom: { sessionId: 's1' } }, true],
    ['a fork with a session of its own', { sessionId: 's2', forkedFrom: { sessionId: 's1' } }, false],
    ['a fork of a task that had no session', { sessionId: null, forkedFrom: { sessionId: null } }, false],
  ])('%s → %s', (_name, task, expected) => {
    expect(forksSession(task)).toBe(expected);
  });
});
