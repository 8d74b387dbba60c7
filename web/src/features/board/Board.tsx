/**
 * The Kanban board: columns by status, cards dragged between them make the moves that mean something
 * (see board-moves.ts); a move that makes none is refused with the reason. A queued card dropped onto
 * another card waits for it (board-drop.ts). On a narrow screen the board is one column at a time, chosen
 * with tabs.
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
import { cardDropId, isCardDropId, planDrop } from './board-drop.js';
import { CardBody } from './TaskCard.js';

/**
 * Another card under the pointer wins, then the column under it; without a pointer (keyboard drags), the
 * most overlapped column.
 */
const cardOrColumnUnderPointer: CollisionDetection = (args) => {
  const own = cardDropId(String(args.active.id));
  const hits = pointerWithin(args).filter((h) => h.id !== own);
  const card = hits.find((h) => isCardDropId(String(h.id)));
  if (card) return [card];
  if (hits.length) return hits;
  const columns = args.droppableContainers.filter((c) => !isCardDropId(String(c.id)));
  return rectIntersection({ ...args, droppableContainers: columns });
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
    if (!task) return;
    const plan = planDrop(task, e.over ? String(e.over.id) : null, (id) => board.get(id));
    if (plan.kind === 'move') moveTask(task, plan.to);
    else if (plan.kind === 'depend') waitFor(task, plan.on);
  };

  /** A queued card dropped onto another: it waits for that task (a cycle is refused, and said so). */
  function waitFor(task: TaskDto, on: string) {
    const target = board.get(on);
    api.addDependencies(task.id, [on]).then(
      () => toast(`${task.title} waits for ${target?.title ?? on}`),
      (err: Error) => toast(err.message, 'error'),
    );
  }

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
        collisionDetection={cardOrColumnUnderPointer}
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
