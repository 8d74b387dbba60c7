/**
 * Merge and Fork for one task (issue 14, parts 4 and 5). Merge runs the project's merge queue over this
 * task and says what became of it (merged, sent back to the agent and why, skipped); Fork makes a new task
 * from its branch and session, with an optional prompt, and opens it.
 * Rules: Merge needs a task in review with a branch; Fork a settled task with a branch.
 */
import { useState } from 'react';
import type { MergeEntryDto, TaskDto } from '../../../../shared/api.js';
import type { GluonClient } from '../../../../shared/client.js';
import { useAction } from '../../hooks/useAction.js';
import { useGluon } from '../../hooks/useGluon.js';
import { navigate } from '../../hooks/useRoute.js';

/** Starts a queue of one task and waits until its entry is final. */
async function mergeOne(api: GluonClient, taskId: string): Promise<MergeEntryDto> {
  let q = await api.merge([taskId]);
  while (q.status === 'running') {
    await new Promise((r) => setTimeout(r, 500));
    q = await api.mergeQueue(q.id);
  }
  return q.entries[0]!;
}

/** What the toast says about a merged, sent back or skipped task. */
export function mergeOutcomeText(e: MergeEntryDto): string {
  if (e.outcome === 'merged') return e.reason ? `Merged: ${e.reason}` : 'Merged';
  if (e.outcome === 'sent_back') return `Sent back to the agent: ${e.reason ?? 'it did not pass'}`;
  return `Not merged: ${e.reason ?? e.outcome}`;
}

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
