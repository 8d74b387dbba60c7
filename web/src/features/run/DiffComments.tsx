/**
 * Review comments inside a diff: a comment thread under the line it points at, the form that writes one,
 * and the "Send review" bar. Comment text is rendered as text.
 */
import { useState } from 'react';
import type { ReviewCommentDto } from '../../../../shared/review-dto.js';

export interface DiffReview {
  /** The comments on this file. */
  comments: ReviewCommentDto[];
  add(line: number, endLine: number, body: string): Promise<boolean>;
  resolve(id: string, resolved: boolean): Promise<boolean>;
  remove(id: string): Promise<boolean>;
}

const where = (c: { line: number; endLine: number }) =>
  c.line === c.endLine ? `line ${c.line}` : `lines ${c.line}–${c.endLine}`;

export function CommentCard({ comment, review }: { comment: ReviewCommentDto; review: DiffReview }) {
  const state = comment.resolvedAt ? 'resolved' : comment.reviewId ? 'sent' : 'pending';
  return (
    <div className={`comment comment-${state}`} data-testid="review-comment" data-state={state}>
      <div className="comment-head">
        <span>{where(comment)}</span>
        <span className="badge">{state}</span>
        {comment.outdated ? <span className="badge">outdated</span> : null}
        {comment.addressedBy.length ? (
          <span className="hint">addressed in {comment.addressedBy.join(', ')}</span>
        ) : null}
        <span className="comment-actions">
          {comment.reviewId === null ? (
            <button
              type="button"
              className="btn btn-small"
              onClick={() => review.remove(comment.id).catch(console.error)}
            >
              Delete
            </button>
          ) : (
            <button
              type="button"
              className="btn btn-small"
              onClick={() => review.resolve(comment.id, !comment.resolvedAt).catch(console.error)}
            >
              {comment.resolvedAt ? 'Reopen' : 'Resolve'}
            </button>
          )}
        </span>
      </div>
      {comment.outdated ? <pre className="comment-code">{comment.code}</pre> : null}
      <p className="comment-body">{comment.body}</p>
    </div>
  );
}

export function CommentForm(props: {
  line: number;
  endLine: number;
  onSave(body: string): Promise<boolean>;
  onCancel(): void;
}) {
  const [body, setBody] = useState('');
  const [busy, setBusy] = useState(false);
  const save = async () => {
    setBusy(true);
    const ok = await props.onSave(body);
    setBusy(false);
    if (ok) props.onCancel();
  };
  return (
    <div className="comment comment-form" data-testid="comment-form">
      <div className="comment-head">
        Comment on {where(props)} <span className="hint">(shift-click another line for a range)</span>
      </div>
      <textarea
        aria-label="Comment"
        value={body}
        autoFocus
        rows={3}
        onChange={(e) => setBody(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === 'Enter' && (e.ctrlKey || e.metaKey) && body.trim()) save().catch(console.error);
          if (e.key === 'Escape') props.onCancel();
        }}
      />
      <div className="row">
        <button
          type="button"
          className="btn btn-primary"
          disabled={busy || !body.trim()}
          onClick={() => save().catch(console.error)}
        >
          Add comment
        </button>
        <button type="button" className="btn" onClick={props.onCancel}>
          Cancel
        </button>
      </div>
    </div>
  );
}

/** The pending review: how many comments wait, an optional summary, and "Send review". */
export function ReviewBar({
  pending,
  onSend,
}: {
  pending: number;
  onSend(summary: string): Promise<boolean>;
}) {
  const [summary, setSummary] = useState('');
  const [busy, setBusy] = useState(false);
  if (pending === 0) return null;
  return (
    <div className="review-bar" data-testid="review-bar">
      <strong>
        {pending} pending comment{pending === 1 ? '' : 's'}
      </strong>
      <input
        aria-label="Review summary"
        placeholder="Summary (optional)"
        value={summary}
        onChange={(e) => setSummary(e.target.value)}
      />
      <button
        type="button"
        className="btn btn-primary"
        disabled={busy}
        onClick={() => {
          setBusy(true);
          onSend(summary)
            .then((ok) => {
              setBusy(false);
              if (ok) setSummary('');
            })
            .catch(console.error);
        }}
      >
        Send review
      </button>
    </div>
  );
}
