/**
 * How one Output row looks: agent text as safe Markdown, thinking muted, a tool call as a one-line
 * summary that expands to its input and output, errors with their stack, status lines small.
 */
import { memo } from 'react';
import { formatValue } from '../../ui/format.js';
import { Markdown } from '../../ui/Markdown.js';
import type { OutputRow } from './output-model.js';

/** The one-line gist of a tool call's input (the command, the file, the pattern). */
export function toolSummary(name: string, input: unknown): string {
  const i = (input && typeof input === 'object' ? input : {}) as Record<string, unknown>;
  const pick = (k: string) => (typeof i[k] === 'string' ? (i[k] as string) : null);
  const text =
    pick('command') ??
    pick('file_path') ??
    pick('notebook_path') ??
    pick('pattern') ??
    pick('path') ??
    pick('url') ??
    pick('description');
  if (text) return text.split('\n')[0]!.slice(0, 300);
  if (name === 'AskUserQuestion' && Array.isArray(i.questions))
    return String((i.questions[0] as { question?: string })?.question ?? '');
  return formatValue(input).replace(/\s+/g, ' ').slice(0, 200);
}

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
            aria-expanded={props.expanded}
            onClick={() => props.onToggle(row.key)}
          >
            <span className="caret">{props.expanded ? '▾' : '▸'}</span>
            <span className={`tool-name tool-${row.category}`}>{row.name}</span>
            <span className="tool-summary">{toolSummary(row.name, row.input)}</span>
            <span className="tool-state">{row.output === null ? '…' : row.isError ? 'error' : 'ok'}</span>
          </button>
          {props.expanded ? (
            <div className="row-tool-body">
              <div className="io-label">input</div>
              <pre>{formatValue(row.input)}</pre>
              <div className="io-label">output{row.truncated ? ' (truncated)' : ''}</div>
              <pre>{row.output ?? 'waiting for the result…'}</pre>
            </div>
          ) : null}
        </div>
      );
    case 'error':
      return (
        <div className="row-error" data-kind="error" role="note">
          <strong>Error</strong> {row.message}
          {row.stack ? <pre className="stack">{row.stack}</pre> : null}
        </div>
      );
    case 'input': {
      const e = row.event;
      const text =
        e.type === 'input.requested'
          ? e.data.kind === 'question'
            ? `asks: ${e.data.questions?.map((q) => q.question).join(' / ') ?? ''}`
            : `wants approval for ${e.data.toolName ?? 'a tool'}${e.data.reason ? ` (${e.data.reason})` : ''}`
          : `${e.data.kind} ${e.data.decision}${e.data.text ? `: ${e.data.text}` : ''}`;
      return (
        <div className="row-input" data-kind="input">
          <span className="row-label">{e.type === 'input.requested' ? 'input required' : 'input'}</span>{' '}
          {text}
        </div>
      );
    }
    case 'info':
      return (
        <div className={`row-info tone-${row.tone}`} data-kind="info">
          <span className="row-label">{row.label}</span> {row.detail}
        </div>
      );
  }
});
