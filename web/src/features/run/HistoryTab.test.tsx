// @vitest-environment happy-dom
import { cleanup, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { RunDto } from '../../../../shared/api.js';
import { buildTaskDto } from '../../../../shared/testing/build-task.js';
import { renderWithGluon } from '../../testing/render.js';
import { HistoryTab } from './HistoryTab.js';

const run = (over: Partial<RunDto>): RunDto => ({
  id: 'r1',
  taskId: 't1',
  kind: 'initial',
  model: 'claude-sonnet-4-5',
  sessionId: 's1',
  status: 'ended',
  stopReason: 'completed',
  costUsd: 0.01,
  error: null,
  startedAt: '2026-12-05T10:00:00.000Z',
  endedAt: '2026-12-05T10:01:00.000Z',
  trigger: null,
  ...over,
});

afterEach(cleanup);

describe('HistoryTab', () => {
  it('shows what started each automatic run next to its kind', async () => {
    renderWithGluon(<HistoryTab task={buildTaskDto({ id: 't1' })} />, {
      runs: vi.fn(async () => [
        run({}),
        run({ id: 'r2', kind: 'resume', trigger: 'PR review comment by alice' }),
        run({ id: 'r3', kind: 'resume', trigger: "check 'ci' failed" }),
      ]),
      taskOrigin: vi.fn(async () => ({ issue: null, schedule: null })),
    });
    const triggers = await screen.findAllByTestId('run-trigger');
    expect(triggers.map((t) => t.textContent)).toEqual([
      ' · PR review comment by alice',
      " · check 'ci' failed",
    ]);
  });
});
