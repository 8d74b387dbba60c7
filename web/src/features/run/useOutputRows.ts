/**
 * The Output rows of a task's event store, kept incrementally, and the indexes that pass a view.
 */
import { useMemo, useRef } from 'react';
import type { EventStore } from '../../stores/event-store.js';
import { keepRow, OutputModel, type RowView } from './output-model.js';

/** `worktreePath`: the task's worktree, so tool paths inside it read relative to it. */
export function useOutputRows(store: EventStore, worktreePath?: string | null): OutputModel {
  const model = useRef<OutputModel | null>(null);
  if (!model.current) model.current = new OutputModel({ worktreePath });
  model.current.update(store.events);
  return model.current;
}

/** Indexes of the rows a view shows; recomputed when the store changes (`version`) or the view does. */
export function useViewIndexes(model: OutputModel, version: number, view: RowView): number[] {
  return useMemo(() => {
    const out: number[] = [];
    const rows = model.rows;
    for (let i = 0; i < rows.length; i += 1) if (keepRow(rows[i]!, view)) out.push(i);
    return out;
  }, [model, version, view]);
}
