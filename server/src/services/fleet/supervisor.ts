/**
 * Nothing is lost when a machine dies. Every process of a fleet watches the workers' heartbeats; a worker
 * silent for longer than `lostAfterMs` is declared lost (by exactly one process: a guarded write), and
 * each task it was running continues on another worker: its open runs are closed as interrupted, its
 * old job dropped, and it is queued again with a continuation prompt, to start from the last state the
 * lost worker pushed (its branch and work-in-progress ref).
 */
import { eventLines } from '../../../../shared/event-text.js';
import { continuationPrompt } from '../../domain/continuation.js';
import { nowIso } from '../../ids.js';
import type { Storage } from '../../storage/index.js';
import type { JobQueue } from '../../storage/job-queue.js';
import type { TaskRecord } from '../../storage/tasks-repo.js';
import type { EventLog } from '../event-log.js';
import { closeRun } from '../runs/end-run.js';
import type { Settle } from '../runs/settle.js';
import type { Workspaces } from '../workspaces.js';

const RECENT_EVENTS = 60;

export interface SupervisorDeps {
  storage: Storage;
  events: EventLog;
  workspaces: Workspaces;
  settle: Settle;
  jobs: JobQueue;
  /** Queues jobs for the tasks queued again. */
  kick(): Promise<void>;
  lostAfterMs: number;
  log: (msg: string, err?: unknown) => void;
}

export function createSupervisor(deps: SupervisorDeps) {
  const { storage } = deps;
  let timer: NodeJS.Timeout | null = null;

  /** What the next worker is told: the objective, the commits so far, the last events as text. */
  async function promptFor(task: TaskRecord, lost: string): Promise<string> {
    const events = await storage.events.listAfter(
      task.id,
      Math.max(0, task.lastSeq - RECENT_EVENTS),
      RECENT_EVENTS,
    );
    const commits = events.flatMap((e) =>
      e.type === 'git.committed' ? [e.data.message.split('\n')[0]!] : [],
    );
    const recent = events.flatMap((e) =>
      eventLines(e, { worktreePath: task.worktreePath ?? undefined }).map(
        (l) => `[${l.tag}] ${l.text.split('\n')[0]}`,
      ),
    );
    return continuationPrompt({ objective: task.prompt, lostWorker: lost, commits, recent });
  }

  /** Moves one task of a lost worker back to the queue, ready to continue elsewhere. */
  async function requeue(task: TaskRecord, lost: string): Promise<void> {
    const why = `worker ${lost} was lost`;
    for (const run of await storage.runs.listByTask(task.id)) {
      if (run.status !== 'running') continue;
      await closeRun(
        deps,
        { task, run, cwd: null, startSha: null },
        {
          stopReason: 'interrupted',
          error: { message: why, retryable: true },
          costUsd: run.costUsd,
          sessionId: run.sessionId,
          sessionTotalUsd: null,
          publish: false,
        },
      );
    }
    await deps.events.emit(task.id, {
      type: 'notice',
      data: { message: `${why}; continuing on another worker` },
    });
    const nextPrompt = await promptFor(task, lost);
    await deps.settle(task, {
      to: 'queued',
      cause: 'recover',
      stopReason: 'interrupted',
      reason: `${why}; continuing elsewhere`,
      // A fresh session: the old one lived on the lost machine.
      patch: { nextPrompt, sessionId: null, pendingInput: null, inputRequired: false, dispatchJob: null },
    });
    if (task.dispatchJob)
      await deps.jobs
        .cancel({ id: task.dispatchJob, projectId: task.projectId })
        .catch((err) => deps.log('dropping a lost job failed', err));
  }

  /** Continues every task `worker` was running elsewhere. */
  async function continueElsewhere(worker: string): Promise<number> {
    const tasks = await storage.tasks.listRunningOn(worker);
    for (const task of tasks) {
      await requeue(task, worker).catch((err) =>
        deps.log(`continuing task ${task.id} elsewhere failed`, err),
      );
    }
    if (tasks.length) await deps.kick();
    return tasks.length;
  }

  /** One look at the heartbeats: declares the silent workers lost and continues their tasks. */
  async function check(now = Date.now()): Promise<string[]> {
    const lost = await storage.workers.declareLost(new Date(now - deps.lostAfterMs).toISOString(), nowIso());
    for (const worker of lost) {
      const moved = await continueElsewhere(worker);
      deps.log(
        `worker ${worker} lost (no heartbeat for ${deps.lostAfterMs / 1000} s): ${moved} task(s) continue elsewhere`,
      );
    }
    return lost;
  }

  return {
    check,
    continueElsewhere,
    start(intervalMs: number) {
      timer ??= setInterval(() => {
        check().catch((err) => deps.log('checking the workers failed', err));
      }, intervalMs);
    },
    stop() {
      if (timer) clearInterval(timer);
      timer = null;
    },
  };
}

export type Supervisor = ReturnType<typeof createSupervisor>;
