/**
 * The Files tab: files changed on the task branch with +/- counts, and the diff of the one picked, where
 * a reviewer comments on lines and sends the pending comments to the agent as a review.
 */
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import type { TaskDto } from '../../../../shared/api.js';
import { useGluon } from '../../hooks/useGluon.js';
import { DiffView } from './DiffView.js';
import { ReviewBar } from './DiffComments.js';
import { ReviewState } from './ReviewState.js';
import { useReviewComments } from './useReviewComments.js';

export function FilesTab({ task }: { task: TaskDto }) {
  const { api } = useGluon();
  const [path, setPath] = useState<string | null>(null);
  const changes = useQuery({
    queryKey: ['changes', task.id, task.lastEventSeq],
    queryFn: () => api.changes(task.id),
    retry: false,
  });
  const review = useReviewComments(task);
  const files = changes.data?.files ?? [];
  const picked = path ?? files[0]?.path ?? null;
  const commentsOn = (p: string) => review.comments.filter((c) => c.path === p && !c.resolvedAt).length;
  const diff = useQuery({
    queryKey: ['diff', task.id, 'path', picked, task.lastEventSeq],
    queryFn: () => api.diff(task.id, { path: picked! }),
    enabled: !!picked,
    retry: false,
  });
  if (!changes.data)
    return <ReviewState error={changes.error} loading={changes.isLoading} what="changed files" />;
  if (files.length === 0) return <p className="empty">No changed files.</p>;
  return (
    <>
      <ReviewBar pending={review.pending} onSend={review.send} />
      <div className="files" data-testid="files-tab">
        <ul className="list files-list">
          {files.map((f) => (
            <li key={f.path}>
              <button
                type="button"
                className={picked === f.path ? 'list-item list-item-on' : 'list-item'}
                onClick={() => setPath(f.path)}
              >
                <span className={`fstatus fstatus-${f.status}`}>{f.status}</span>{' '}
                <span className="fpath">{f.path}</span>
                <span className="adds">+{f.additions}</span> <span className="dels">−{f.deletions}</span>
                {commentsOn(f.path) ? (
                  <span className="badge">
                    {commentsOn(f.path)} open comment{commentsOn(f.path) === 1 ? '' : 's'}
                  </span>
                ) : null}
              </button>
            </li>
          ))}
        </ul>
        <div className="files-diff">
          {diff.data ? (
            <DiffView
              diff={diff.data.diff}
              truncated={diff.data.truncated}
              review={{
                comments: review.comments.filter((c) => c.path === picked),
                add: (line, endLine, body) => review.add({ path: picked!, line, endLine, body }),
                resolve: review.resolve,
                remove: review.remove,
              }}
            />
          ) : (
            <ReviewState error={diff.error} loading={diff.isLoading} what="the diff" />
          )}
        </div>
      </div>
    </>
  );
}
