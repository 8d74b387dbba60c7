import { describe, expect, it } from 'vitest';
import { findCycle, waitState, type Dependency } from './dependencies.js';

const d = (id: string, status: Dependency['status']): Dependency => ({ id, title: `T ${id}`, status });

describe('waitState', () => {
  it.each([
    ['no dependencies', [], { blocked: false }],
    ['all in review or done', [d('a', 'review'), d('b', 'done')], { blocked: false }],
    [
      'one still running',
      [d('a', 'done'), d('b', 'running')],
      { blocked: true, stuck: false, reason: 'waiting for “T b” (b)', waitingFor: ['b'] },
    ],
    [
      'queued and running',
      [d('a', 'queued'), d('b', 'running')],
      { blocked: true, stuck: false, reason: 'waiting for “T a” (a), “T b” (b)', waitingFor: ['a', 'b'] },
    ],
    [
      'a failed one is named first, and stuck',
      [d('a', 'running'), d('b', 'failed')],
      { blocked: true, stuck: true, reason: 'blocked: “T b” (b) failed', waitingFor: ['a', 'b'] },
    ],
    [
      'a cancelled one',
      [d('a', 'cancelled')],
      { blocked: true, stuck: true, reason: 'blocked: “T a” (a) cancelled', waitingFor: ['a'] },
    ],
  ] as const)('%s', (_name, deps, expected) => {
    expect(waitState(deps)).toEqual(expected);
  });
});

describe('findCycle', () => {
  const edges = new Map([
    ['b', ['a']],
    ['c', ['b']],
    ['x', ['y']],
  ]);
  it.each([
    ['a new task waiting for anything', 'n', ['c', 'x'], null],
    ['a waits for c, which waits for b, which waits for a', 'a', ['c'], ['a', 'c', 'b', 'a']],
    ['a task waiting for itself', 'a', ['a'], ['a', 'a']],
    ['a waits for an unrelated chain', 'a', ['x'], null],
    ['y waits for x, which waits for y', 'y', ['a', 'x'], ['y', 'x', 'y']],
  ] as const)('%s', (_name, task, deps, expected) => {
    expect(findCycle(edges, task, deps)).toEqual(expected);
  });
});
