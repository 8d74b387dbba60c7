import { describe, expect, it } from 'vitest';
import type { TaskDto } from '../../../../shared/api.js';
import { buildTask } from '../../testing/fixtures.js';
import { cardDropId, planDrop } from './board-drop.js';

describe('planDrop', () => {
  const queued = buildTask({ id: 'q1', status: 'queued' });
  const other = buildTask({ id: 'q2', status: 'queued' });
  const running = buildTask({ id: 'r1', status: 'running' });
  const review = buildTask({ id: 'v1', status: 'review' });
  const tasks = new Map<string, TaskDto>([queued, other, running, review].map((t) => [t.id, t]));
  const find = (id: string) => tasks.get(id);

  it('makes a queued card dropped onto another card wait for it, in any column', () => {
    expect(planDrop(queued, cardDropId('q2'), find)).toEqual({ kind: 'depend', taskId: 'q1', on: 'q2' });
    expect(planDrop(queued, cardDropId('r1'), find)).toEqual({ kind: 'depend', taskId: 'q1', on: 'r1' });
  });
  it('moves any other card to the column of the card it lands on', () => {
    expect(planDrop(review, cardDropId('q1'), find)).toEqual({ kind: 'move', to: 'queued' });
    expect(planDrop(running, cardDropId('r1'), find)).toEqual({ kind: 'none' });
  });
  it('moves a card dropped on a column; nothing on itself, on its own column or on nothing', () => {
    expect(planDrop(queued, 'running', find)).toEqual({ kind: 'move', to: 'running' });
    expect(planDrop(queued, 'queued', find)).toEqual({ kind: 'none' });
    expect(planDrop(queued, cardDropId('q1'), find)).toEqual({ kind: 'none' });
    expect(planDrop(queued, cardDropId('gone'), find)).toEqual({ kind: 'none' });
    expect(planDrop(queued, null, find)).toEqual({ kind: 'none' });
  });
});
