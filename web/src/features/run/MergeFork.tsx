/**
 * Merge and Fork for one task (issue 14, parts 4 and 5). Merge runs the project's merge queue over this
 * task and says what became of it (merged, sent back to the agent and why, skipped); Fork makes a new task
 * from its branch and session, with an optional prompt, and opens it.
 * Rules: Merge needs a task in review with a branch; Fork a settled task with a branch.
 */
import { useState } from 'react';
import type { TaskDto } from '../../../../shared/api.js';
import { useAction } from '../../hooks/useAction.js';
import { useGluon } from '../../hooks/useGluon.js';
import { navigate } from '../../hooks/useRoute.js';
import { mergeOne, mergeOutcomeText } from './merge-outcome.js';

export function MergeFork({ task }: { task: TaskDto }) {
  const { api, toast } = useGluon();
  const { busy, act } = useAction();
  const [forking, setForking] = useState(false);
  const [prompt, setPrompt] = useState('');
  const settled = ['review', 'done', 'failed', 'cancelled'].includes(task.status);
  if (!task.branch) return null;
  return (
    <>
      {task.status === 'review' ? (
        <button
          type="button"
          className="btn btn-primary"
          disabled={busy}
          title="Rebase onto the base branch, run the project's verify command, and merge"
          onClick={() =>
            act(
              () => mergeOne(api, task.id),
              'Merge queue finished',
              (e) => toast(mergeOutcomeText(e), e.outcome === 'merged' ? 'info' : 'error'),
            )
          }
        >
          {busy ? 'Merging…' : 'Merge'}
        </button>
      ) : null}
      {settled && !forking ? (
        <button type="button" className="btn" disabled={busy} onClick={() => setForking(true)}>
          Fork
        </button>
      ) : null}
      {settled && forking ? (
        <form
          className="row"
          onSubmit={(e) => {
            e.preventDefault();
            act(
              () => api.fork(task.id, prompt.trim() || undefined),
              'Forked',
              (fork) => {
                setForking(false);
                setPrompt('');
                navigate(`/tasks/${fork.id}`);
              },
            );
          }}
        >
          <input
            aria-label="Fork prompt"
            placeholder="Another approach (empty: the same prompt)"
            value={prompt}
            onChange={(e) => setPrompt(e.target.value)}
          />
          <button type="submit" className="btn btn-primary" disabled={busy}>
            Start fork
          </button>
          <button type="button" className="btn" onClick={() => setForking(false)}>
            Cancel
          </button>
        </form>
      ) : null}
    </>
  );
}
