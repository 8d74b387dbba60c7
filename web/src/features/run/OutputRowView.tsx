/**
 * How one Output row looks: agent text as safe Markdown, thinking muted, a tool call as a one-line
 * summary (the shared tool text) that expands to its input and output, errors with their stack, questions
 * and status lines small.
 */
import { memo } from 'react';
import { formatValue } from '../../ui/format.js';
import { Markdown } from '../../ui/Markdown.js';
import type { OutputRow } from './output-model.js';

export const OutputRowView = memo(function OutputRowView(props: {
  row: OutputRow;
  expanded: boolean;
  onToggle: (key: string) => void;
}) {
  const { row } = props;
  switch (row.kind) {
    case 'text':
      return (
        <div className="row-text" data-kind="text">
          {row.subagent ? <span className="row-sub">{row.subagent}</span> : null}
          {row.streaming ? <p className="streaming">{row.text}</p> : <Markdown text={row.text} />}
        </div>
      );
    case 'thinking':
      return (
        <div className="row-thinking" data-kind="thinking">
          <span className="row-label">thinking</span> {row.text}
        </div>
      );
    case 'tool':
      return <ToolRowView row={row} expanded={props.expanded} onToggle={props.onToggle} />;
    case 'error':
      return (
        <div className="row-error" data-kind="error" role="note">
          <strong>Error</strong> {row.message}
          {row.stack ? <pre className="stack">{row.stack}</pre> : null}
        </div>
      );
    case 'input':
      return <InputRowView row={row} />;
    case 'info':
      return (
        <div className={`row-info tone-${row.tone}`} data-kind="info">
          <span className="row-label">{row.label}</span> {row.detail}
        </div>
      );
  }
});

/** A tool call: its one-line summary, expanding to its input and output. */
function ToolRowView({
  row,
  expanded,
  onToggle,
}: {
  row: Extract<OutputRow, { kind: 'tool' }>;
  expanded: boolean;
  onToggle: (key: string) => void;
}) {
  return (
    <div
      className={`row-tool ${row.isError ? 'row-tool-error' : ''}`}
      data-kind="tool"
      data-tool={row.name}
      data-category={row.category}
    >
      <button
        type="button"
        className="row-tool-head"
        aria-expanded={expanded}
        onClick={() => onToggle(row.key)}
      >
        <span className="caret">{expanded ? '▾' : '▸'}</span>
        <span className={`tool-name tool-${row.category}`}>{row.name}</span>
        <span className="tool-summary">{row.summary}</span>
        <span className="tool-state">{row.output === null ? '…' : row.isError ? 'error' : 'ok'}</span>
      </button>
      {expanded ? (
        <div className="row-tool-body">
          <div className="io-label">input</div>
          <pre>{formatValue(row.input)}</pre>
          <div className="io-label">output{row.truncated ? ' (truncated)' : ''}</div>
          <pre>{row.output ?? 'waiting for the result…'}</pre>
        </div>
      ) : null}
    </div>
  );
}

/** A question or approval request: its lines, the first labelled "input required" while it is asked. */
function InputRowView({ row }: { row: Extract<OutputRow, { kind: 'input' }> }) {
  return (
    <div className="row-input" data-kind="input">
      {row.lines.map((line, i) =>
        line.detail ? (
          <div key={i} className="row-detail">
            {line.text}
          </div>
        ) : (
          <div key={i}>
            <span className="row-label">{i === 0 && row.requested ? 'input required' : line.tag}</span>{' '}
            {line.text}
          </div>
        ),
      )}
    </div>
  );
}
