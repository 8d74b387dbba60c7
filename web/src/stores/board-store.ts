/**
 * The board's tasks in the browser, kept current by the live connection: a snapshot on every
 * (re)connection, then one update per task change. A move the user just made shows at once
 * (`expect`) until the server's update confirms or the request fails (`forget`).
 */
import type { TaskDto, TaskStatus } from '../../../shared/api.js';
import type { BoardMessage } from '../api/live.js';
import { frameScheduler, type Scheduler } from './frame-scheduler.js';

/** Listeners hear of changes at most once per animation frame: a burst of updates is one render. */
export class BoardStore {
  private readonly tasks = new Map<string, TaskDto>();
  private readonly pending = new Map<string, TaskStatus>();
  private cache: TaskDto[] | null = null;
  private readonly listeners = new Set<() => void>();
  /** A snapshot has arrived at least once. */
  loaded = false;
  private scheduled = false;

  constructor(private readonly schedule: Scheduler = frameScheduler) {}

  apply = (message: BoardMessage): void => {
    switch (message.type) {
      case 'board.snapshot':
        this.tasks.clear();
        for (const t of message.tasks) this.tasks.set(t.id, t);
        this.loaded = true;
        break;
      case 'task.updated':
        this.tasks.set(message.task.id, message.task);
        if (this.pending.get(message.task.id) === message.task.status) this.pending.delete(message.task.id);
        break;
      case 'task.removed':
        this.tasks.delete(message.taskId);
        break;
    }
    this.changed();
  };

  /** Shows the task in `status` until the server says otherwise. */
  expect(taskId: string, status: TaskStatus): void {
    this.pending.set(taskId, status);
    this.changed();
  }

  forget(taskId: string): void {
    if (this.pending.delete(taskId)) this.changed();
  }

  get(taskId: string): TaskDto | undefined {
    return this.tasks.get(taskId);
  }

  /** All tasks with pending moves applied; the same array until something changes. */
  list = (): TaskDto[] => {
    if (!this.cache) {
      this.cache = [...this.tasks.values()].map((t) => {
        const status = this.pending.get(t.id);
        return status && status !== t.status ? { ...t, status } : t;
      });
    }
    return this.cache;
  };

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  private changed(): void {
    this.cache = null;
    if (this.scheduled) return;
    this.scheduled = true;
    this.schedule(() => {
      this.scheduled = false;
      for (const listener of this.listeners) listener();
    });
  }
}
