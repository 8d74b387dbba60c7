/**
 * The board's grouping and filters: which tasks show, in which column, in which order.
 * Rules:
 * - Filters combine: workspace, project, and a case-insensitive search in the title (and id prefix).
 * - Queue is first-in first-out (oldest first, as the scheduler runs it); other columns show the most
 *   recently changed first.
 * - Failed and Cancelled columns appear only when they hold a task after filtering.
 */
import type { TaskDto, TaskStatus } from '../../../../shared/api.js';
import { COLUMNS, type Column } from '../../ui/board-moves.js';

export interface BoardFilter {
  workspace: string;
  project: string;
  search: string;
}

export const NO_FILTER: BoardFilter = { workspace: '', project: '', search: '' };

export function matchesBoardFilter(task: TaskDto, f: BoardFilter): boolean {
  if (f.workspace && task.workspace !== f.workspace) return false;
  if (f.project && task.project !== f.project) return false;
  const q = f.search.trim().toLowerCase();
  return !q || task.title.toLowerCase().includes(q) || task.id.startsWith(q);
}

export interface ColumnView extends Column {
  tasks: TaskDto[];
}

/** The visible columns with their tasks, filtered and ordered. */
export function groupColumns(tasks: Iterable<TaskDto>, f: BoardFilter): ColumnView[] {
  const by = new Map<TaskStatus, TaskDto[]>(COLUMNS.map((c) => [c.status, []]));
  for (const task of tasks) if (matchesBoardFilter(task, f)) by.get(task.status)?.push(task);
  return COLUMNS.map((c) => {
    const list = by.get(c.status)!;
    if (c.status === 'queued') list.sort((a, b) => a.createdAt.localeCompare(b.createdAt));
    else list.sort((a, b) => b.updatedAt.localeCompare(a.updatedAt));
    return { ...c, tasks: list };
  }).filter((c) => !c.optional || c.tasks.length > 0);
}
