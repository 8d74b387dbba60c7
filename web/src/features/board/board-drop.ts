/**
 * What a drop on the board means: cards are drop targets too (`task:<id>`), and a queued card dropped
 * onto another card waits for it; anything else dropped on a card, or any card dropped on a column, is a
 * move to that column.
 */
import type { TaskDto, TaskStatus } from '../../../../shared/api.js';

const CARD = 'task:';

/** The drop target id of a card. */
export const cardDropId = (taskId: string) => `${CARD}${taskId}`;
export const isCardDropId = (id: string) => id.startsWith(CARD);

export type DropPlan =
  { kind: 'none' } | { kind: 'depend'; taskId: string; on: string } | { kind: 'move'; to: TaskStatus };

/**
 * Rules: a drop on the dragged card itself or on nothing does nothing; a queued card on another card
 * waits for it; another card on a card moves to that card's column; a card on a column moves there
 * (nothing when it is already there).
 */
export function planDrop(
  dragged: TaskDto,
  overId: string | null,
  find: (taskId: string) => TaskDto | undefined,
): DropPlan {
  if (!overId) return { kind: 'none' };
  if (isCardDropId(overId)) {
    const target = find(overId.slice(CARD.length));
    if (!target || target.id === dragged.id) return { kind: 'none' };
    if (dragged.status === 'queued') return { kind: 'depend', taskId: dragged.id, on: target.id };
    return target.status === dragged.status ? { kind: 'none' } : { kind: 'move', to: target.status };
  }
  const to = overId as TaskStatus;
  return to === dragged.status ? { kind: 'none' } : { kind: 'move', to };
}
