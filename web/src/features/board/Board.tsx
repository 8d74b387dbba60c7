/**
 * The Kanban board: columns by status, cards dragged between them make the moves that mean something
 * (see board-moves.ts); a move that makes none is refused with the reason. On a narrow screen the board
 * is one column at a time, chosen with tabs.
 */
import {
  DndContext,
  DragOverlay,
  KeyboardSensor,
  PointerSensor,
  pointerWithin,
  rectIntersection,
  TouchSensor,
  useSensor,
  useSensors,
  type CollisionDetection,
  type DragEndEvent,
  type DragStartEvent,
} from '@dnd-kit/core';
import { useState } from 'react';
import type { TaskDto, TaskStatus } from '../../../../shared/api.js';
import { useGluon } from '../../hooks/useGluon.js';
import { Tabs } from '../../ui/Tabs.js';
import type { ColumnView } from './board-filter.js';
import { planMove } from '../../ui/board-moves.js';
import { BoardColumn } from './BoardColumn.js';
import { CardBody } from './TaskCard.js';

/** The column under the pointer wins; without a pointer (keyboard drags), the most overlapped one. */
const columnUnderPointer: CollisionDetection = (args) => {
  const hits = pointerWithin(args);
  return hits.length ? hits : rectIntersection(args);
};

export function Board({ columns, onOpen }: { columns: ColumnView[]; onOpen: (id: string) => void }) {
  const { api, board, toast } = useGluon();
  const [dragging, setDragging] = useState<TaskDto | null>(null);
  const [mobileColumn, setMobileColumn] = useState<TaskStatus>('running');
  const sensors = useSensors(
    useSensor(PointerSensor, { activationConstraint: { distance: 6 } }),
    useSensor(TouchSensor, { activationConstraint: { delay: 250, tolerance: 8 } }),
    useSensor(KeyboardSensor),
  );

  const onDragStart = (e: DragStartEvent) => setDragging(board.get(String(e.active.id)) ?? null);
  const onDragEnd = (e: DragEndEvent) => {
    setDragging(null);
    const task = board.get(String(e.active.id));
    const to = e.over?.id as TaskStatus | undefined;
    if (!task || !to || to === task.status) return;
    moveTask(task, to);
  };

  function moveTask(task: TaskDto, to: TaskStatus) {
    const plan = planMove(task.status, to);
    if (!plan.ok) return toast(plan.message, 'error');
    board.expect(task.id, to);
    api.move(task.id, to).then(
      () => toast(`${task.title}: ${plan.verb}`),
      (err: Error) => {
        board.forget(task.id);
        toast(err.message, 'error');
      },
    );
  }

  const visible = columns.some((c) => c.status === mobileColumn) ? mobileColumn : columns[0]!.status;
  return (
    <div className="board-wrap">
      <div className="board-tabs">
        <Tabs
          label="Board columns"
          tabs={columns.map((c) => ({ id: c.status, label: c.title, badge: c.tasks.length }))}
          value={visible}
          onChange={setMobileColumn}
        />
      </div>
      <DndContext
        sensors={sensors}
        collisionDetection={columnUnderPointer}
        onDragStart={onDragStart}
        onDragEnd={onDragEnd}
        onDragCancel={() => setDragging(null)}
      >
        <div className="board" data-testid="board">
          {columns.map((c) => (
            <BoardColumn key={c.status} column={c} onOpen={onOpen} hidden={c.status !== visible} />
          ))}
        </div>
        <DragOverlay dropAnimation={null}>
          {dragging ? (
            <div className="card card-overlay">
              <CardBody task={dragging} />
            </div>
          ) : null}
        </DragOverlay>
      </DndContext>
    </div>
  );
}
