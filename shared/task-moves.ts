/**
 * The moves a person may make on the board (or with `gluon move`), and what each one means. The server's
 * status machine allows exactly these as user moves; the board uses the same table to refuse a
 * meaningless drop at once, with a reason.
 */
import type { TaskStatus } from './api.js';

export interface UserMove {
  from: TaskStatus;
  to: TaskStatus;
  /** What the move does, in a word or two ("start now", "pause", "accept"). */
  verb: string;
}

export const USER_MOVES: readonly UserMove[] = [
  { from: 'queued', to: 'running', verb: 'start now' },
  { from: 'queued', to: 'cancelled', verb: 'cancel' },
  { from: 'running', to: 'queued', verb: 'pause' },
  { from: 'running', to: 'cancelled', verb: 'cancel' },
  { from: 'review', to: 'done', verb: 'accept' },
  { from: 'review', to: 'queued', verb: 'resume' },
  { from: 'review', to: 'cancelled', verb: 'cancel' },
  { from: 'done', to: 'review', verb: 'reopen' },
  { from: 'failed', to: 'queued', verb: 'run again' },
  { from: 'failed', to: 'cancelled', verb: 'cancel' },
  { from: 'cancelled', to: 'queued', verb: 'run again' },
];

/** The user move from `from` to `to`, if there is one. */
export function findUserMove(from: TaskStatus, to: TaskStatus): UserMove | undefined {
  return USER_MOVES.find((m) => m.from === from && m.to === to);
}
