/**
 * The run queue of a Gluon on Postgres: pg-boss, one queue per project (a worker listens to the projects
 * it can reach). A job says "run this task"; the queue's `short` policy keeps at most one job per task
 * waiting, whichever servers kick. That a task never runs twice at once is the claim's guarantee (a
 * guarded `queued → running` in the tasks table), not the queue's: a job whose task is no longer queued is
 * completed unused. (`stately` would also refuse a second active job per task, but pg-boss then cannot
 * activate a waiting job of a task that runs, and that job blocks every job behind it in the queue.)
 * A job stays active while its task runs (a loop's iterations, a formula's steps) and is completed when
 * the task settles; pg-boss expires a job after 24 hours at most, which frees nothing a claim relies on.
 */
import PgBoss from 'pg-boss';
import { openPgPool } from './pg-pool.js';

export interface RunJob {
  id: string;
  projectId: string;
  taskId: string;
}

export interface JobQueue {
  /** Queues a run of `taskId`; null when one is already queued for it. */
  enqueue(projectId: string, taskId: string): Promise<string | null>;
  /** Claims up to `max` jobs from these projects' queues, oldest first per queue. */
  claim(projectIds: readonly string[], max: number): Promise<RunJob[]>;
  /** The task settled: its job is done. */
  complete(job: Pick<RunJob, 'id' | 'projectId'>): Promise<void>;
  /** Drops a job that must not run (its worker was lost; the task was cancelled). */
  cancel(job: Pick<RunJob, 'id' | 'projectId'>): Promise<void>;
  /** Puts a claimed job back, ahead of the others, for another claim (the caps filled meanwhile). */
  requeue(job: RunJob): Promise<void>;
  /** Queues a command for the worker named `worker` (cancel a run, answer a question). */
  sendCommand(worker: string, command: object): Promise<void>;
  /** Takes the worker's waiting commands (each is delivered once). */
  takeCommands(worker: string, max: number): Promise<unknown[]>;
  close(): Promise<void>;
}

const queueOf = (projectId: string) => `gluon-run-${projectId}`;
const commandsOf = (worker: string) => `gluon-cmd-${worker}`;
const DAY_SECONDS = 24 * 60 * 60;

/** Starts pg-boss on the database at `url` (its schema `pgboss` is created or migrated on first start). */
export async function openJobQueue(
  url: string,
  log: (msg: string, err?: unknown) => void,
): Promise<JobQueue> {
  // pg-boss runs its SQL on a pool of ours, which survives a database restart (see pg-pool.ts).
  const pool = openPgPool({ connectionString: url, max: 3, application_name: 'gluon-queue' }, log);
  const boss = new PgBoss({
    db: { executeSql: (text: string, values?: unknown[]) => pool.query(text, values) },
    // Gluon completes or cancels every job itself; pg-boss's own maintenance still archives and expires.
    supervise: true,
    schedule: false,
  });
  boss.on('error', (err) => log('the run queue reported an error', err));
  await boss.start();
  const created = new Set<string>();
  const ensureQueue = async (name: string, policy: 'short' | 'standard') => {
    if (created.has(name)) return name;
    await boss.createQueue(name, { name, policy, retryLimit: 0, expireInSeconds: DAY_SECONDS - 1 });
    created.add(name);
    return name;
  };
  const ensure = (projectId: string) => ensureQueue(queueOf(projectId), 'short');
  return {
    async enqueue(projectId, taskId) {
      const name = await ensure(projectId);
      return boss.send(name, { taskId }, { singletonKey: taskId });
    },
    async claim(projectIds, max) {
      const out: RunJob[] = [];
      for (const projectId of projectIds) {
        if (out.length >= max) break;
        const name = await ensure(projectId);
        const jobs = await boss.fetch<{ taskId: string }>(name, { batchSize: max - out.length });
        for (const job of jobs ?? []) out.push({ id: job.id, projectId, taskId: job.data.taskId });
      }
      return out;
    },
    async complete(job) {
      await boss.complete(queueOf(job.projectId), job.id);
    },
    async cancel(job) {
      await boss.cancel(queueOf(job.projectId), job.id);
    },
    async requeue(job) {
      await boss.cancel(queueOf(job.projectId), job.id);
      await boss.send(
        await ensure(job.projectId),
        { taskId: job.taskId },
        { singletonKey: job.taskId, priority: 1 },
      );
    },
    async sendCommand(worker, command) {
      await boss.send(await ensureQueue(commandsOf(worker), 'standard'), command);
    },
    async takeCommands(worker, max) {
      const name = await ensureQueue(commandsOf(worker), 'standard');
      const jobs = (await boss.fetch<object>(name, { batchSize: max })) ?? [];
      if (jobs.length)
        await boss.complete(
          name,
          jobs.map((j) => j.id),
        );
      return jobs.map((j) => j.data);
    },
    async close() {
      await boss.stop({ graceful: false, wait: true, close: true });
      await pool.end();
    },
  };
}
