import { describe, expect, it } from 'vitest';
import { buildTask } from '../../testing/fixtures.js';
import { costTree, lastDays, toSeries } from './cost-data.js';

describe('cost data', () => {
  it('lists the last days, oldest first', () => {
    expect(lastDays(3, new Date(2024, 2, 1, 12))).toEqual(['2024-02-28', '2024-02-29', '2024-03-01']);
  });

  it('stacks spend per day by model, with zero for quiet days', () => {
    const s = toSeries(
      [
        { day: '2024-03-01', model: 'sonnet', costUsd: 1 },
        { day: '2024-03-01', model: 'haiku', costUsd: 0.5 },
        { day: '2024-02-28', model: 'sonnet', costUsd: 2 },
        { day: '2023-01-01', model: 'opus', costUsd: 9 },
      ],
      ['2024-02-28', '2024-02-29', '2024-03-01'],
    );
    expect(s.models).toEqual(['haiku', 'opus', 'sonnet']);
    expect(s.cost).toEqual([
      [0, 0, 2],
      [0, 0, 0],
      [0.5, 0, 1],
    ]);
    expect(s.max).toBe(2);
  });

  it('builds workspace → project → task, most expensive first, without tasks that cost nothing', () => {
    const tree = costTree([
      buildTask({ id: 'a', workspace: 'w1', project: 'p1', costUsd: 1 }),
      buildTask({ id: 'b', workspace: 'w1', project: 'p2', costUsd: 3 }),
      buildTask({ id: 'c', workspace: 'w2', project: 'p3', costUsd: 2 }),
      buildTask({ id: 'd', workspace: 'w2', project: 'p3', costUsd: 0 }),
    ]);
    expect(tree.map((n) => [n.label, n.costUsd])).toEqual([
      ['w1', 4],
      ['w2', 2],
    ]);
    expect(tree[0]!.children.map((n) => n.label)).toEqual(['p2', 'p1']);
    expect(tree[1]!.children[0]!.children.map((n) => n.key)).toEqual(['c']);
  });
});
