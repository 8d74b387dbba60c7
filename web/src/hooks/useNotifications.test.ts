// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import { buildTask } from '../testing/fixtures.js';
import { notifyReason } from './useNotifications.js';

describe('notifyReason', () => {
  const running = buildTask({ status: 'running', health: 'green' });
  it.each([
    ['a first sighting', undefined, running, null],
    ['input required', running, { ...running, inputRequired: true }, 'input'],
    ['turning red', running, { ...running, health: 'red' as const }, 'red'],
    ['staying red', { ...running, health: 'red' as const }, { ...running, health: 'red' as const }, null],
    ['failing', running, { ...running, status: 'failed' as const }, 'failed'],
    [
      'finishing',
      running,
      { ...running, status: 'review' as const, stopReason: 'completed' as const },
      'finished',
    ],
    [
      'a cost cap',
      running,
      { ...running, status: 'review' as const, stopReason: 'cost_cap' as const },
      'cost_cap',
    ],
    [
      'an open breaker',
      running,
      { ...running, status: 'review' as const, stopReason: 'circuit_open' as const },
      'circuit_open',
    ],
    ['accepting', { ...running, status: 'review' as const }, { ...running, status: 'done' as const }, null],
  ])('%s', (_name, before, after, reason) => {
    expect(notifyReason(before, after)).toBe(reason);
  });
});
