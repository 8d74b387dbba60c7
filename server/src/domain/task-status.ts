/**
 * The task status machine: one table of the moves that exist, why each happens, and who may ask for it.
 * Services apply a move with a single guarded write (`WHERE status = from`); nothing else changes status.
 */
import type { TaskStatus } from '../../../shared/api.js';
import { findUserMove, USER_MOVES } from '../../../shared/task-moves.js';

/** Why a status changes. `user` moves come from a surface (CLI, web, bots); the rest from the orchestrator. */
export type TransitionCause =
  | 'start' // the queue (or the user) starts a run
  | 'run_ended' // the run stopped: completed, cap, question, interruption
  | 'run_failed' // the run itself failed
  | 'pause' // running → queued: stop the run, keep the work, run again later
  | 'accept' // review → done
  | 'reopen' // done → review
  | 'resume' // review/failed/cancelled → queued, with feedback or an answer
  | 'cancel'
  | 'recover'; // startup reconciliation

interface Move {
  from: TaskStatus;
  to: TaskStatus;
  /** The first cause is the one a user's direct move stands for, when it is one (shared/task-moves.ts). */
  causes: readonly TransitionCause[];
}

const MOVES: readonly Move[] = [
  { from: 'queued', to: 'running', causes: ['start'] },
  { from: 'queued', to: 'cancelled', causes: ['cancel'] },
  { from: 'running', to: 'review', causes: ['run_ended'] },
  { from: 'running', to: 'failed', causes: ['run_failed', 'recover'] },
  { from: 'running', to: 'cancelled', causes: ['cancel'] },
  { from: 'running', to: 'queued', causes: ['pause', 'recover'] },
  { from: 'review', to: 'done', causes: ['accept'] },
  { from: 'review', to: 'queued', causes: ['resume'] },
  { from: 'review', to: 'cancelled', causes: ['cancel'] },
  { from: 'done', to: 'review', causes: ['reopen'] },
  { from: 'failed', to: 'queued', causes: ['resume'] },
  { from: 'failed', to: 'cancelled', causes: ['cancel'] },
  { from: 'cancelled', to: 'queued', causes: ['resume'] },
];

export type TransitionCheck = { ok: true } | { ok: false; message: string };

/**
 * Whether `from → to` is a move that exists for this cause.
 * Rules: the pair must be in the table; the cause must be one the table lists for it.
 */
export function checkTransition(from: TaskStatus, to: TaskStatus, cause: TransitionCause): TransitionCheck {
  const move = MOVES.find((m) => m.from === from && m.to === to);
  if (!move) return { ok: false, message: `a task cannot go from ${from} to ${to}` };
  if (!move.causes.includes(cause))
    return { ok: false, message: `${from} → ${to} does not happen by ${cause}` };
  return { ok: true };
}

/** The cause a user's direct move stands for, or an explanation of why the move is refused. */
export function userMoveCause(
  from: TaskStatus,
  to: TaskStatus,
): { ok: true; cause: TransitionCause } | { ok: false; message: string } {
  if (from === to) return { ok: false, message: `the task is already ${to}` };
  const move = MOVES.find((m) => m.from === from && m.to === to);
  if (!move || !findUserMove(from, to)) {
    const allowed = USER_MOVES.filter((m) => m.from === from).map((m) => m.to);
    const hint = allowed.length ? `; from ${from} it can move to ${allowed.join(', ')}` : '';
    return { ok: false, message: `a task cannot be moved from ${from} to ${to}${hint}` };
  }
  return { ok: true, cause: move.causes[0]! };
}

/** Statuses in which a task has no agent working and never will without a human. */
export function isSettled(status: TaskStatus): boolean {
  return status === 'review' || status === 'done' || status === 'failed' || status === 'cancelled';
}

/** Statuses a task may still be resumed from (given a session or a prompt to start again). */
export function isResumable(status: TaskStatus): boolean {
  return status === 'review' || status === 'failed' || status === 'cancelled';
}
