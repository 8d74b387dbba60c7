/** The board's tasks (live), re-rendering when any task changes. */
import { useSyncExternalStore } from 'react';
import type { TaskDto } from '../../../shared/api.js';
import { useGluon } from './useGluon.js';

export function useBoard(): TaskDto[] {
  const { board } = useGluon();
  return useSyncExternalStore(board.subscribe, board.list);
}

/** One task from the board, or undefined while unknown. */
export function useBoardTask(taskId: string): TaskDto | undefined {
  const tasks = useBoard();
  return tasks.find((t) => t.id === taskId || t.id.startsWith(taskId));
}
