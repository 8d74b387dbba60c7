/**
 * A column of the board: a drop target with a windowed list of cards, so a column of 2,000 tasks costs
 * what fits on screen.
 */
import { useDroppable } from '@dnd-kit/core';
import { useCallback } from 'react';
import { formatUsd } from '../../../../shared/text.js';
import { VirtualList } from '../../ui/VirtualList.js';
import type { ColumnView } from './board-filter.js';
import { TaskCard } from './TaskCard.js';

export function BoardColumn({
  column,
  onOpen,
  hidden,
}: {
  column: ColumnView;
  onOpen: (id: string) => void;
  hidden?: boolean;
}) {
  const { setNodeRef, isOver } = useDroppable({ id: column.status });
  const tasks = column.tasks;
  const renderRow = useCallback(
    (i: number) => <TaskCard task={tasks[i]!} onOpen={onOpen} />,
    [tasks, onOpen],
  );
  const rowKey = useCallback((i: number) => tasks[i]!.id, [tasks]);
  const total = tasks.reduce((sum, t) => sum + t.costUsd, 0);
  return (
    <section
      ref={setNodeRef}
      className={`column ${isOver ? 'column-over' : ''} ${hidden ? 'column-hidden' : ''}`}
      data-column={column.status}
      aria-label={`${column.title} column`}
    >
      <header className="column-head">
        <h2>{column.title}</h2>
        <span className="column-count">{tasks.length}</span>
        {total > 0 ? <span className="column-cost">{formatUsd(total)}</span> : null}
      </header>
      {tasks.length === 0 ? (
        <p className="column-empty">
          {column.status === 'queued' ? 'Nothing queued. Press N for a new task.' : 'Empty'}
        </p>
      ) : (
        <VirtualList
          count={tasks.length}
          estimate={92}
          renderRow={renderRow}
          rowKey={rowKey}
          label={`${column.title} tasks`}
          className="column-list"
        />
      )}
    </section>
  );
}
