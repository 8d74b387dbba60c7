/**
 * The Output and Messages tabs: a windowed list of the task's rows that follows new rows while the user
 * is at the bottom and pauses when they scroll up (a button jumps back). Output has filters by tool type.
 */
import { useCallback, useState, type ReactNode } from 'react';
import { VirtualList } from '../../ui/VirtualList.js';
import type { EventStore } from '../../stores/event-store.js';
import type { OutputFilter, OutputModel, RowView } from './output-model.js';
import { OutputRowView } from './OutputRowView.js';
import { useViewIndexes } from './useOutputRows.js';

const FILTERS: { id: OutputFilter; label: string }[] = [
  { id: 'all', label: 'All' },
  { id: 'file', label: 'Files' },
  { id: 'bash', label: 'Bash' },
  { id: 'other', label: 'Other tools' },
  { id: 'errors', label: 'Errors' },
];

export function StreamTab(props: {
  store: EventStore;
  model: OutputModel;
  mode: 'output' | 'messages';
  header?: ReactNode;
}) {
  const { store, model, mode, header } = props;
  const [filter, setFilter] = useState<OutputFilter>('all');
  const view: RowView = mode === 'messages' ? 'messages' : filter;
  const indexes = useViewIndexes(model, store.version, view);
  const [follow, setFollow] = useState(true);
  const [expanded, toggle] = useToggleSet();
  const rows = model.rows;
  const renderRow = useCallback(
    (i: number) => {
      const row = rows[indexes[i]!]!;
      return <OutputRowView row={row} expanded={expanded.has(row.key)} onToggle={toggle} />;
    },
    [rows, indexes, expanded, toggle],
  );
  const rowKey = useCallback((i: number) => rows[indexes[i]!]!.key, [rows, indexes]);

  return (
    <div className="stream" data-testid={`${mode}-tab`}>
      <StreamBar
        mode={mode}
        filter={filter}
        onFilter={setFilter}
        count={indexes.length}
        live={store.live}
        follow={follow}
        onFollow={setFollow}
      />
      {header}
      {indexes.length === 0 ? (
        <p className="empty">
          {store.live ? (filter === 'all' ? 'No output yet.' : 'Nothing matches this filter.') : 'Loading…'}
        </p>
      ) : (
        <VirtualList
          key={view}
          count={indexes.length}
          estimate={30}
          renderRow={renderRow}
          rowKey={rowKey}
          follow={follow}
          onFollowChange={setFollow}
          label={mode === 'output' ? 'Output' : 'Messages'}
          className="stream-list"
        />
      )}
    </div>
  );
}

/** Which rows are expanded, and a stable toggle of one. */
function useToggleSet(): [ReadonlySet<string>, (key: string) => void] {
  const [expanded, setExpanded] = useState<ReadonlySet<string>>(new Set());
  const toggle = useCallback(
    (key: string) =>
      setExpanded((s) => {
        const next = new Set(s);
        if (!next.delete(key)) next.add(key);
        return next;
      }),
    [],
  );
  return [expanded, toggle];
}

/** The bar above the list: the filters (Output only), the count, and the auto-scroll switch. */
function StreamBar(props: {
  mode: 'output' | 'messages';
  filter: OutputFilter;
  onFilter: (filter: OutputFilter) => void;
  count: number;
  live: boolean;
  follow: boolean;
  onFollow: (update: (follow: boolean) => boolean) => void;
}) {
  const { mode, filter, follow } = props;
  return (
    <div className="stream-bar">
      {mode === 'output'
        ? FILTERS.map((f) => (
            <button
              key={f.id}
              type="button"
              className={filter === f.id ? 'chip chip-on' : 'chip'}
              aria-pressed={filter === f.id}
              onClick={() => props.onFilter(f.id)}
            >
              {f.label}
            </button>
          ))
        : null}
      <span className="stream-count">
        {props.count.toLocaleString()} {mode === 'output' ? 'rows' : 'messages'}
        {props.live ? '' : ' · loading…'}
      </span>
      <button
        type="button"
        className={follow ? 'chip chip-on' : 'chip chip-warn'}
        aria-pressed={follow}
        onClick={() => props.onFollow((f) => !f)}
        title="Follow new output (scrolling up pauses it)"
      >
        {follow ? 'Auto-scroll on' : 'Auto-scroll paused — resume'}
      </button>
    </div>
  );
}
