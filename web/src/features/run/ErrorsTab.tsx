/** The Errors tab: run errors with their stack traces, failed tool calls, and the task's own error. */
import { useCallback, useState } from 'react';
import type { TaskDto } from '../../../../shared/api.js';
import type { EventStore } from '../../stores/event-store.js';
import { OutputRowView } from './OutputRowView.js';
import type { OutputModel } from './output-model.js';
import { useViewIndexes } from './useOutputRows.js';

export function ErrorsTab({ store, model, task }: { store: EventStore; model: OutputModel; task: TaskDto }) {
  const indexes = useViewIndexes(model, store.version, 'errors');
  const [expanded, setExpanded] = useState<ReadonlySet<string>>(new Set());
  const toggle = useCallback(
    (key: string) => setExpanded((s) => new Set(s.has(key) ? [...s].filter((k) => k !== key) : [...s, key])),
    [],
  );
  return (
    <div className="errors" data-testid="errors-tab">
      {task.error ? (
        <div className="row-error" role="note">
          <strong>The task failed:</strong> {task.error}
        </div>
      ) : null}
      {indexes.length === 0 && !task.error ? <p className="empty">No errors.</p> : null}
      {indexes.slice(-500).map((i) => {
        const row = model.rows[i]!;
        return (
          <OutputRowView
            key={row.key}
            row={row}
            expanded={expanded.has(row.key) || row.kind === 'tool'}
            onToggle={toggle}
          />
        );
      })}
    </div>
  );
}
