/**
 * A unified diff shown unified (one column, +/- lines) or split (old left, new right), with line numbers.
 * With `review`, every line of the new side has a comment button (shift-click extends a range), comments
 * sit under the line they point at now, and those whose line is not shown (or whose code is gone) above.
 */
import { Fragment, useMemo, useState, type MouseEvent } from 'react';
import { CommentCard, CommentForm, type DiffReview } from './DiffComments.js';
import { parseUnifiedDiff, splitRows, type DiffHunk, type DiffLine } from './diff-parse.js';

type Mode = 'unified' | 'split';
interface Draft {
  line: number;
  endLine: number;
}

function Cell({ line, side }: { line: DiffLine | null; side: 'old' | 'new' }) {
  if (!line) return <td className="diff-empty" colSpan={2} />;
  const no = side === 'old' ? line.oldNo : line.newNo;
  return (
    <>
      <td className="diff-no">{no ?? ''}</td>
      <td className={`diff-code diff-${line.kind}`}>{line.text}</td>
    </>
  );
}

/** The cells of one row, and the new-side line it carries (the one a comment can point at). */
function rowsOf(hunk: DiffHunk, mode: Mode) {
  if (mode === 'split')
    return splitRows(hunk).map((r) => ({
      newNo: r.right?.newNo ?? null,
      cells: (
        <>
          <Cell line={r.left} side="old" />
          <Cell line={r.right} side="new" />
        </>
      ),
    }));
  return hunk.lines.map((l) => ({
    newNo: l.newNo,
    cells: (
      <>
        <td className="diff-no">{l.oldNo ?? ''}</td>
        <td className="diff-no">{l.newNo ?? ''}</td>
        <td className={`diff-code diff-${l.kind}`}>
          {l.kind === 'add' ? '+' : l.kind === 'del' ? '-' : ' '}
          {l.text}
        </td>
      </>
    ),
  }));
}

export function DiffView(props: { diff: string; truncated?: boolean; review?: DiffReview }) {
  const { diff, truncated, review } = props;
  const [mode, setMode] = useState<Mode>(() => (window.innerWidth < 700 ? 'unified' : 'split'));
  const [draft, setDraft] = useState<Draft | null>(null);
  const files = useMemo(() => parseUnifiedDiff(diff), [diff]);
  if (!diff.trim()) return <p className="empty">No changes.</p>;
  const shown = new Set(files.flatMap((f) => f.hunks.flatMap((h) => h.lines.map((l) => l.newNo))));
  const placed = (review?.comments ?? []).filter((c) => !c.outdated && shown.has(c.endLine));
  const unplaced = (review?.comments ?? []).filter((c) => !placed.includes(c));
  const span = (mode === 'split' ? 4 : 3) + (review ? 1 : 0);
  const pick = (no: number, e: MouseEvent) =>
    setDraft((d) =>
      e.shiftKey && d
        ? { line: Math.min(d.line, no), endLine: Math.max(d.endLine, no) }
        : { line: no, endLine: no },
    );
  const below = (no: number | null) => {
    if (!review || no === null) return null;
    const here = placed.filter((c) => c.endLine === no);
    const form = draft?.endLine === no;
    if (!here.length && !form) return null;
    return (
      <tr className="diff-comments">
        <td colSpan={span}>
          {here.map((c) => (
            <CommentCard key={c.id} comment={c} review={review} />
          ))}
          {form ? (
            <CommentForm
              line={draft.line}
              endLine={draft.endLine}
              onSave={(body) => review.add(draft.line, draft.endLine, body)}
              onCancel={() => setDraft(null)}
            />
          ) : null}
        </td>
      </tr>
    );
  };
  return (
    <div className="diff" data-testid="diff">
      <div className="diff-bar">
        {(['unified', 'split'] as const).map((m) => (
          <button
            key={m}
            type="button"
            className={mode === m ? 'chip chip-on' : 'chip'}
            onClick={() => setMode(m)}
          >
            {m === 'unified' ? 'Unified' : 'Split'}
          </button>
        ))}
        {truncated ? <span className="hint">The diff was cut short (too large).</span> : null}
      </div>
      {review && unplaced.length ? (
        <div className="diff-unplaced" data-testid="unplaced-comments">
          {unplaced.map((c) => (
            <CommentCard key={c.id} comment={c} review={review} />
          ))}
        </div>
      ) : null}
      {files.map((f, fi) => (
        <div key={fi} className="diff-file">
          <div className="diff-file-head">
            {f.oldPath && f.newPath && f.oldPath !== f.newPath
              ? `${f.oldPath} → ${f.newPath}`
              : (f.newPath ?? f.oldPath)}
          </div>
          {f.binary ? <p className="hint">Binary file</p> : null}
          <table className={`diff-table diff-${mode}`}>
            <tbody>
              {f.hunks.map((h, hi) => (
                <Fragment key={hi}>
                  <tr className="diff-hunk">
                    <td colSpan={span}>{h.header}</td>
                  </tr>
                  {rowsOf(h, mode).map((r, ri) => (
                    <Fragment key={ri}>
                      <tr
                        className={
                          draft && r.newNo !== null && r.newNo >= draft.line && r.newNo <= draft.endLine
                            ? 'diff-picked'
                            : undefined
                        }
                      >
                        {review ? (
                          <td className="diff-act">
                            {r.newNo !== null ? (
                              <button
                                type="button"
                                className="diff-comment-btn"
                                aria-label={`Comment on line ${r.newNo}`}
                                onClick={(e) => pick(r.newNo!, e)}
                              >
                                +
                              </button>
                            ) : null}
                          </td>
                        ) : null}
                        {r.cells}
                      </tr>
                      {below(r.newNo)}
                    </Fragment>
                  ))}
                </Fragment>
              ))}
            </tbody>
          </table>
        </div>
      ))}
    </div>
  );
}
