// @vitest-environment happy-dom
import { cleanup, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { GluonEvent } from '../../../../shared/events.js';
import { buildTask } from '../../testing/fixtures.js';
import { EventStore } from '../../stores/event-store.js';
import { LoopTab } from './LoopTab.js';

afterEach(cleanup);

const iteration = (seq: number, n: number, over: object = {}): GluonEvent =>
  ({
    seq,
    taskId: 't',
    runId: null,
    ts: '',
    type: 'loop.iteration',
    data: {
      iteration: n,
      filesChanged: ['a.ts', 'b.ts'],
      commits: ['abc'],
      errors: [],
      costUsd: 0.05,
      exitSignal: false,
      status: 'IN_PROGRESS',
      breaker: 'closed',
      verify: null,
      decision: 'continue',
      ...over,
    },
  }) as GluonEvent;

describe('LoopTab', () => {
  it('lists the iterations with breaker, cost against the cap and the decision', () => {
    const store = new EventStore((f) => f());
    store.appendAll([
      iteration(1, 1),
      iteration(2, 2, {
        breaker: 'half_open',
        errors: ['tests fail'],
        verify: { command: 'npm test', exitCode: 1, output: 'x' },
      }),
    ]);
    const task = buildTask({
      status: 'running',
      iterations: 2,
      costUsd: 0.1,
      loop: { maxIterations: 20, maxCostUsd: 1, breaker: 'half_open' },
    });
    const { container } = render(<LoopTab task={task} store={store} />);
    expect(screen.getByText('Breaker: half-open')).toBeTruthy();
    expect(container.textContent).toContain('of $1.00');
    const rows = [...container.querySelectorAll('tbody tr')].map((r) =>
      [...r.querySelectorAll('td')].map((td) => td.textContent),
    );
    expect(rows).toEqual([
      ['1', 'IN_PROGRESS', '2', '1', 'no', '—', 'closed', '$0.0500', 'continue'],
      ['2', 'IN_PROGRESS', '2', '1', 'no', 'exit 1', 'half-open', '$0.0500', 'continue; tests fail'],
    ]);
  });

  it('says so when the task is not a loop', () => {
    render(<LoopTab task={buildTask()} store={new EventStore((f) => f())} />);
    expect(screen.getByText('This task does not run as a Ralph loop.')).toBeTruthy();
  });
});
