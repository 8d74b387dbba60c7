/**
 * The actions a task allows in its state: resume with feedback, cancel, stop loop, mark done, create PR,
 * resolve conflicts, merge and fork (MergeFork.tsx), and "move to" (the board's moves, for screens where dragging is awkward).
 * Rules: resume needs a settled task (review, failed, cancelled); cancel a task that is not final;
 * stop loop a running loop; mark done and PR a task in review; resolve a task with conflict files.
 */
import { useState } from 'react';
import type { TaskDto, TaskStatus } from '../../../../shared/api.js';
import { useAction } from '../../hooks/useAction.js';
import { useGluon } from '../../hooks/useGluon.js';
import { movesFrom, titleOf } from '../../ui/board-moves.js';
import { MergeFork } from './MergeFork.js';

export function RunActions({ task }: { task: TaskDto }) {
  const { api } = useGluon();
  const [feedback, setFeedback] = useState('');
  const { busy, act } = useAction();
  const settled = task.status === 'review' || task.status === 'failed' || task.status === 'cancelled';
  const openPullRequest = (pr: { url?: string }) => {
    if (pr.url?.startsWith('https://') || pr.url?.startsWith('http://'))
      window.open(pr.url, '_blank', 'noopener');
  };

  return (
    <div className="run-actions">
      <div className="row">
        {task.status === 'running' || task.status === 'queued' || task.status === 'review' ? (
          <button
            type="button"
            className="btn btn-danger"
            disabled={busy}
            onClick={() => act(() => api.cancel(task.id), 'Cancelled')}
          >
            Cancel
          </button>
        ) : null}
        {task.loop && task.status === 'running' ? (
          <button
            type="button"
            className="btn"
            disabled={busy}
            onClick={() => act(() => api.stopLoop(task.id), 'Loop stopped')}
          >
            Stop loop
          </button>
        ) : null}
        {task.status === 'review' ? (
          <button
            type="button"
            className="btn btn-primary"
            disabled={busy}
            onClick={() => act(() => api.move(task.id, 'done'), 'Marked done')}
          >
            Mark done
          </button>
        ) : null}
        {task.status === 'review' || task.status === 'done' ? (
          task.pr ? (
            <a className="btn" href={task.pr.url} target="_blank" rel="noopener noreferrer">
              PR #{task.pr.number} ({task.pr.state})
            </a>
          ) : (
            <button
              type="button"
              className="btn"
              disabled={busy}
              onClick={() => act(() => api.pr(task.id), 'Pull request ready', openPullRequest)}
            >
              Create PR
            </button>
          )
        ) : null}
        {task.conflictFiles?.length ? (
          <button
            type="button"
            className="btn"
            disabled={busy}
            onClick={() => act(() => api.resolve(task.id), 'Resolving with the agent')}
          >
            Resolve conflicts ({task.conflictFiles.length})
          </button>
        ) : null}
        <MergeFork task={task} />
        <select
          aria-label="Move to"
          value=""
          disabled={busy}
          onChange={(e) => {
            const to = e.target.value as TaskStatus;
            if (to) act(() => api.move(task.id, to), `Moved to ${titleOf(to)}`);
          }}
        >
          <option value="">Move to…</option>
          {movesFrom(task.status).map((m) => (
            <option key={m.status} value={m.status}>
              {titleOf(m.status)} ({m.verb})
            </option>
          ))}
        </select>
      </div>
      {settled ? (
        <form
          className="row resume"
          onSubmit={(e) => {
            e.preventDefault();
            const text = feedback.trim();
            if (text)
              act(
                () => api.resume(task.id, text),
                'Resumed',
                () => setFeedback(''),
              );
          }}
        >
          <input
            aria-label="Feedback"
            placeholder="Feedback to resume the agent with"
            value={feedback}
            onChange={(e) => setFeedback(e.target.value)}
          />
          <button type="submit" className="btn btn-primary" disabled={busy || !feedback.trim()}>
            Resume
          </button>
        </form>
      ) : null}
    </div>
  );
}
