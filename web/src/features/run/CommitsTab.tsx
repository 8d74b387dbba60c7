/** The Commits tab: the task branch's commits (author, time, message, files); a click shows its diff. */
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import type { TaskDto } from '../../../../shared/api.js';
import { useGluon } from '../../hooks/useGluon.js';
import { formatTime } from '../../ui/format.js';
import { DiffView } from './DiffView.js';
import { ReviewState } from './ReviewState.js';

export function CommitsTab({ task }: { task: TaskDto }) {
  const { api } = useGluon();
  const [open, setOpen] = useState<string | null>(null);
  const commits = useQuery({
    queryKey: ['commits', task.id, task.lastEventSeq],
    queryFn: () => api.commits(task.id),
    retry: false,
  });
  const diff = useQuery({
    queryKey: ['diff', task.id, 'commit', open],
    queryFn: () => api.diff(task.id, { commit: open! }),
    enabled: !!open,
    retry: false,
  });
  if (!commits.data) return <ReviewState error={commits.error} loading={commits.isLoading} what="commits" />;
  if (commits.data.length === 0) return <p className="empty">No commits on the task branch yet.</p>;
  return (
    <div className="commits" data-testid="commits-tab">
      <ul className="list">
        {commits.data.map((c) => (
          <li key={c.sha}>
            <button
              type="button"
              className={open === c.sha ? 'list-item list-item-on' : 'list-item'}
              onClick={() => setOpen(open === c.sha ? null : c.sha)}
            >
              <code>{c.sha.slice(0, 8)}</code> <span className="commit-msg">{c.message.split('\n')[0]}</span>
              <span className="hint">
                {c.author} · {formatTime(c.time)} · {c.files.length} files
              </span>
            </button>
            {open === c.sha ? (
              diff.data ? (
                <DiffView diff={diff.data.diff} truncated={diff.data.truncated} />
              ) : (
                <ReviewState error={diff.error} loading={diff.isLoading} what="this commit's diff" />
              )
            ) : null}
          </li>
        ))}
      </ul>
    </div>
  );
}
