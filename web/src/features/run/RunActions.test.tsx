// @vitest-environment happy-dom
import { cleanup, fireEvent, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { TaskDto, TaskStatus } from '../../../../shared/api.js';
import { buildTaskDto } from '../../../../shared/testing/build-task.js';
import { renderWithGluon } from '../../testing/render.js';
import { RunActions } from './RunActions.js';

afterEach(cleanup);

const buttons = () => screen.queryAllByRole('button').map((b) => b.textContent);
const button = (name: string) => screen.getByRole('button', { name }) as HTMLButtonElement;

describe('RunActions', () => {
  it('offers what a running loop allows: cancel and stop loop, no resume', () => {
    renderWithGluon(
      <RunActions
        task={buildTaskDto({
          status: 'running',
          loop: { maxIterations: 5, maxCostUsd: null, breaker: 'closed' },
        })}
      />,
    );
    expect(buttons()).toEqual(['Cancel', 'Stop loop']);
    expect(screen.queryByLabelText('Feedback')).toBeNull();
  });

  it('offers what a task in review allows, its pull request as a link once open', () => {
    const pr = { number: 7, url: 'https://github.test/o/r/pull/7', state: 'open' as const, checks: null };
    renderWithGluon(
      <RunActions task={buildTaskDto({ status: 'review', conflictFiles: ['a.ts', 'b.ts'] })} />,
    );
    expect(buttons()).toEqual(['Cancel', 'Mark done', 'Create PR', 'Resolve conflicts (2)', 'Resume']);
    cleanup();
    renderWithGluon(<RunActions task={buildTaskDto({ status: 'done', pr })} />);
    expect(screen.getByRole('link').getAttribute('href')).toBe(pr.url);
    expect(screen.getByRole('link').textContent).toBe('PR #7 (open)');
  });

  it('keeps every button waiting while one action runs, then says it is done', async () => {
    let finish: (t: TaskDto) => void = () => {};
    const moves: [string, TaskStatus][] = [];
    const task = buildTaskDto({ status: 'review' });
    const { toasts } = renderWithGluon(<RunActions task={task} />, {
      move: (id: string, to: TaskStatus) => {
        moves.push([id, to]);
        return new Promise<TaskDto>((resolve) => (finish = resolve));
      },
    });
    fireEvent.click(button('Mark done'));
    expect(moves).toEqual([[task.id, 'done']]);
    await waitFor(() => expect(button('Cancel').disabled).toBe(true));
    expect(button('Create PR').disabled).toBe(true);
    finish(task);
    await waitFor(() => expect(button('Cancel').disabled).toBe(false));
    expect(toasts).toEqual(['Marked done']);
  });

  it('resumes a settled task with the trimmed feedback and clears it', async () => {
    const resumed: [string, string][] = [];
    const task = buildTaskDto({ status: 'failed' });
    renderWithGluon(<RunActions task={task} />, {
      resume: async (id: string, text: string) => {
        resumed.push([id, text]);
        return task;
      },
    });
    const input = screen.getByLabelText('Feedback') as HTMLInputElement;
    expect(button('Resume').disabled).toBe(true);
    fireEvent.change(input, { target: { value: '  try the other file  ' } });
    fireEvent.click(button('Resume'));
    await waitFor(() => expect(input.value).toBe(''));
    expect(resumed).toEqual([[task.id, 'try the other file']]);
  });
});
