/**
 * A unified diff shown unified (one column, +/- lines) or split (old left, new right), with line numbers.
 */
import { useMemo, useState } from 'react';
import { parseUnifiedDiff, splitRows, type DiffLine } from './diff-parse.js';

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

export function DiffView({ diff, truncated }: { diff: string; truncated?: boolean }) {
  const [mode, setMode] = useState<'unified' | 'split'>(() =>
    window.innerWidth < 700 ? 'unified' : 'split',
  );
  const files = useMemo(() => parseUnifiedDiff(diff), [diff]);
  if (!diff.trim()) return <p className="empty">No changes.</p>;
  return (
    <div className="diff" data-testid="diff">
      <div className="diff-bar">
        <button
          type="button"
          className={mode === 'unified' ? 'chip chip-on' : 'chip'}
          onClick={() => setMode('unified')}
        >
          Unified
        </button>
        <button
          type="button"
          className={mode === 'split' ? 'chip chip-on' : 'chip'}
          onClick={() => setMode('split')}
        >
          Split
        </button>
        {truncated ? <span className="hint">The diff was cut short (too large).</span> : null}
      </div>
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
              {f.hunks.map((h, hi) => [
                <tr key={`h${hi}`} className="diff-hunk">
                  <td colSpan={mode === 'split' ? 4 : 3}>{h.header}</td>
                </tr>,
                ...(mode === 'unified'
                  ? h.lines.map((l, li) => (
                      <tr key={`${hi}-${li}`}>
                        <td className="diff-no">{l.oldNo ?? ''}</td>
                        <td className="diff-no">{l.newNo ?? ''}</td>
                        <td className={`diff-code diff-${l.kind}`}>
                          {l.kind === 'add' ? '+' : l.kind === 'del' ? '-' : ' '}
                          {l.text}
                        </td>
                      </tr>
                    ))
                  : splitRows(h).map((r, ri) => (
                      <tr key={`${hi}-${ri}`}>
                        <Cell line={r.left} side="old" />
                        <Cell line={r.right} side="new" />
                      </tr>
                    ))),
              ])}
            </tbody>
          </table>
        </div>
      ))}
    </div>
  );
}
