import { describe, expect, it } from 'vitest';
import { buildTask } from '../../testing/fixtures.js';
import { waitCandidates, waitFields } from './WaitsFor.js';

describe('waitFields', () => {
  it.each([
    [{ after: [], on: null }, {}],
    [{ after: ['a1', 'b2'], on: null }, { after: ['a1', 'b2'] }],
    [{ after: ['a1'], on: 'a1' }, { on: 'a1' }],
    [
      { after: ['a1', 'b2'], on: 'b2' },
      { after: ['a1'], on: 'b2' },
    ],
  ])('%j → %j', (value, expected) => {
    expect(waitFields(value)).toEqual(expected);
  });
});

describe('waitCandidates', () => {
  it('offers tasks that have not ended, the project’s first, newest first', () => {
    const tasks = [
      buildTask({ id: 'old', projectId: 'p1', createdAt: '2026-01-01T00:00:00Z' }),
      buildTask({ id: 'new', projectId: 'p1', createdAt: '2026-01-03T00:00:00Z' }),
      buildTask({ id: 'other', projectId: 'p2', createdAt: '2026-01-04T00:00:00Z' }),
      buildTask({ id: 'done', projectId: 'p1', status: 'done' }),
      buildTask({ id: 'gone', projectId: 'p1', status: 'cancelled' }),
    ];
    expect(waitCandidates(tasks, 'p1').map((t) => t.id)).toEqual(['new', 'old', 'other']);
  });
});
