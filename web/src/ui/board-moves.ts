/**
 * What a drag between columns means. The server decides (POST /move answers 409 for a move that does not
 * exist); the board checks first, with the same table (shared/task-moves.ts), so a meaningless drop is
 * refused at once with a reason.
 * Rules (the user moves of the task status machine):
 * - Queue → Running starts now; Running → Queue pauses; Review → Done accepts; Review → Queue resumes;
 *   Done → Review reopens; Failed/Cancelled → Queue runs again.
 * - Queue, Running, Review and Failed → Cancelled cancels.
 * - Anything else is refused, naming where the task can go.
 */
import type { TaskStatus } from '../../../shared/api.js';
import { findUserMove, USER_MOVES } from '../../../shared/task-moves.js';

export interface Column {
  status: TaskStatus;
  title: string;
  /** Shown only when it holds tasks. */
  optional: boolean;
}

export const COLUMNS: readonly Column[] = [
  { status: 'queued', title: 'Queue', optional: false },
  { status: 'running', title: 'Running', optional: false },
  { status: 'review', title: 'Review', optional: false },
  { status: 'done', title: 'Done', optional: false },
  { status: 'failed', title: 'Failed', optional: true },
  { status: 'cancelled', title: 'Cancelled', optional: true },
];

export type MovePlan = { ok: true; verb: string } | { ok: false; message: string };

export function titleOf(status: TaskStatus): string {
  return COLUMNS.find((c) => c.status === status)?.title ?? status;
}

/** What dropping a task of status `from` on the column `to` does, or why it cannot. */
export function planMove(from: TaskStatus, to: TaskStatus): MovePlan {
  if (from === to) return { ok: false, message: `the task is already in ${titleOf(to)}` };
  const move = findUserMove(from, to);
  if (move) return { ok: true, verb: move.verb };
  const targets = USER_MOVES.filter((m) => m.from === from).map((m) => titleOf(m.to));
  const hint = targets.length ? ` From ${titleOf(from)} it can go to ${targets.join(', ')}.` : '';
  return { ok: false, message: `A task cannot move from ${titleOf(from)} to ${titleOf(to)}.${hint}` };
}

/** The statuses a task can be moved to by hand (for the card's "Move to…" menu). */
export function movesFrom(from: TaskStatus): { status: TaskStatus; verb: string }[] {
  return USER_MOVES.filter((m) => m.from === from).map((m) => ({ status: m.to, verb: m.verb }));
}
