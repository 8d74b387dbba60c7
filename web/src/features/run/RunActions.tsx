/**
 * The actions a task allows in its state: resume with feedback, cancel, stop loop, mark done, create PR,
 * resolve conflicts, merge and fork (MergeFork.tsx), and "move to" (the board's moves, for screens where dragging is awkward).
 * Rules: resume needs a settled task (review, failed, cancelled); cancel a task that is not final;
 * stop loop a running loop; mark done and PR a task in review; resolve a task with conflict files.
 * One `useAction` for the panel: while any action runs, every button waits.
 */
import { useState } from 'react';
import type { TaskDto, TaskStatus } from '../../../../shared/api.js';
import { useAction } from '../../hooks/useAction.js';
import { useGluon } from '../../hooks/useGluon.js';
import { movesFrom, titleOf } from '../../ui/board-moves.js';
import { MergeFork } from './MergeFork.js';

type Action = ReturnType<typeof useAction>;

const openPullRequest = (pr: { url?: string }) => {
  if (pr.url?.startsWith('https://') || pr.url?.startsWith('http://'))
    window.open(pr.url, '_blank', 'noopener');
};

/** The pull request of a task in review or done: its link, or the button that opens it. */
function PullRequestButton({ task, action: { busy, act } }: { task: TaskDto; action: Action }) {
  const { api } = useGluon();
  if (task.status !== 'review' && task.status !== 'done') return null;
  if (task.pr) {
    return (
      <a className="btn" href={task.pr.url} target="_blank" rel="noopener noreferrer">
        PR #{task.pr.number} ({task.pr.state})
      </a>
    );
  }
  return (
    <button
      type="button"
      className="btn"
      disabled={busy}
      onClick={() => act(() => api.pr(task.id), 'Pull request ready', openPullRequest)}
    >
      Create PR
    </button>
  );
}

/** Cancel, stop loop, mark done, the pull request and resolve conflicts, each where the task allows it. */
function StateButtons({ task, action }: { task: TaskDto; action: Action }) {
  const { api } = useGluon();
  const { busy, act } = action;
  const button = (label: string, className: string, run: () => void) => (
    <button type="button" className={className} disabled={busy} onClick={run}>
      {label}
    </button>
  );
  return (
    <>
      {task.status === 'running' || task.status === 'queued' || task.status === 'review'
        ? button('Cancel', 'btn btn-danger', () => act(() => api.cancel(task.id), 'Cancelled'))
        : null}
      {task.loop && task.status === 'running'
        ? button('Stop loop', 'btn', () => act(() => api.stopLoop(task.id), 'Loop stopped'))
        : null}
      {task.status === 'review'
        ? button('Mark done', 'btn btn-primary', () => act(() => api.move(task.id, 'done'), 'Marked done'))
        : null}
      <PullRequestButton task={task} action={action} />
      {task.conflictFiles?.length
        ? button(`Resolve conflicts (${task.conflictFiles.length})`, 'btn', () =>
            act(() => api.resolve(task.id), 'Resolving with the agent'),
          )
        : null}
    </>
  );
}

/** "Move to…": the board's moves from the task's status. */
function MoveSelect({ task, action: { busy, act } }: { task: TaskDto; action: Action }) {
  const { api } = useGluon();
  return (
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
  );
}

/** Feedback to resume a settled task with; the text is the panel's, kept while the form is hidden. */
function ResumeForm(props: {
  task: TaskDto;
  action: Action;
  feedback: string;
  setFeedback: (text: string) => void;
}) {
  const { task, action, feedback, setFeedback } = props;
  const { api } = useGluon();
  return (
    <form
      className="row resume"
      onSubmit={(e) => {
        e.preventDefault();
        const text = feedback.trim();
        if (text)
          action.act(
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
      <button type="submit" className="btn btn-primary" disabled={action.busy || !feedback.trim()}>
        Resume
      </button>
    </form>
  );
}

export function RunActions({ task }: { task: TaskDto }) {
  const [feedback, setFeedback] = useState('');
  const action = useAction();
  const settled = task.status === 'review' || task.status === 'failed' || task.status === 'cancelled';
  return (
    <div className="run-actions">
      <div className="row">
        <StateButtons task={task} action={action} />
        <MergeFork task={task} />
        <MoveSelect task={task} action={action} />
      </div>
      {settled ? (
        <ResumeForm task={task} action={action} feedback={feedback} setFeedback={setFeedback} />
      ) : null}
    </div>
  );
}
