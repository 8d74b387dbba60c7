/**
 * Watches running tasks: green while events flow, yellow when the agent goes quiet, red when it is stuck,
 * looping or dead. A change is written on the task and announced (`health.changed`); turning red notifies
 * every surface. An agent whose process is gone is stopped, and its task fails with that reason. Each
 * check also lowers the sessions the agents' commands opened (`yieldSessionsBelow`), so that a long test
 * run in an agent's sandbox never weighs more than the server.
 */
import type { Health } from '../../../shared/api.js';
import type { Config } from '../config.js';
import { assessHealth, shouldNotifyHealth } from '../domain/health.js';
import { isGroupAlive, yieldSessionsBelow } from '../runner/process-group.js';
import type { Storage } from '../storage/index.js';
import type { EventLog } from './event-log.js';
import type { Notifier } from './notifications.js';
import type { Runs } from './runs/index.js';
import type { TaskState } from './task-state.js';

export interface HealthMonitorDeps {
  config: Config;
  storage: Storage;
  events: EventLog;
  state: TaskState;
  runs: Runs;
  notifier: Notifier;
  log: (msg: string, err?: unknown) => void;
}

export function createHealthMonitor(deps: HealthMonitorDeps) {
  const last = new Map<string, Health>();
  /** Runs whose process was seen gone once: a second look (a check later) makes it a death, not a race with a normal exit. */
  const goneOnce = new Set<string>();
  let timer: NodeJS.Timeout | null = null;
  /** The pass lowering the sessions below the agents, while one runs. */
  let lowering: Promise<unknown> | null = null;
  // The next check sees the task still running with its process gone, and tries again.
  const logStopFailure = (err: unknown) => deps.log('could not stop a run whose agent died', err);

  /** One pass over the running tasks. */
  async function check(now = Date.now()): Promise<void> {
    const seen = new Set<string>();
    for (const run of deps.runs.activeRuns()) {
      seen.add(run.taskId);
      if (run.ending) continue;
      const task = await deps.storage.tasks.findById(run.taskId);
      if (!task || task.status !== 'running') continue;
      const processAlive = run.pid === null || isGroupAlive(run.pid);
      // A process seen gone only once may just have exited normally (its run is being finished).
      const dead = !processAlive && goneOnce.has(run.runId);
      const { health, reason } = assessHealth({
        lastEventAt: run.lastEventAt,
        now,
        processAlive: !dead,
        recentToolCalls: run.toolCalls.slice(-deps.config.health.repeatLimit),
        waitingForInput: task.inputRequired,
        thresholds: deps.config.health,
      });
      const previous = last.get(task.id) ?? task.health;
      last.set(task.id, health);
      if (previous !== health || task.healthReason !== reason) {
        await deps.state.update(task.id, { health, healthReason: reason });
        if (previous !== health)
          await deps.events.emit(task.id, { type: 'health.changed', data: { health, reason } });
        if (shouldNotifyHealth(previous, health))
          await deps.notifier.notify(task.id, 'health_red', reason ?? 'the task is stuck');
      }
      if (processAlive) goneOnce.delete(run.runId);
      else if (dead) deps.runs.stop(task.id, 'died').catch(logStopFailure);
      else goneOnce.add(run.runId);
    }
    for (const id of last.keys()) if (!seen.has(id)) last.delete(id);
    // Not awaited (an unprivileged server lowers one session per 100 ms); one pass at a time.
    lowering ??= yieldSessionsBelow(
      deps.runs.activeRuns().flatMap((run) => (run.pid === null ? [] : [run.pid])),
    )
      .catch((err) => deps.log("could not lower the agents' sessions", err))
      .finally(() => (lowering = null));
  }

  return {
    check,
    start() {
      timer ??= setInterval(
        () => void check().catch((err) => deps.log('health check failed', err)),
        deps.config.healthCheckMs,
      );
    },
    stop() {
      if (timer) clearInterval(timer);
      timer = null;
    },
  };
}
