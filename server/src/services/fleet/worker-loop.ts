/**
 * A worker taking work: whenever it has a free slot (and when woken by the change feed, and every few
 * seconds), it claims run jobs from the queues of the projects it serves, claims each job's task
 * (`queued → running` under the fleet's concurrency caps), and starts it. A job stays with the worker
 * while its task runs; it is completed when the task settles, and the next job is claimed.
 */
import { startColumns, type Runs } from '../runs/index.js';
import type { Storage } from '../../storage/index.js';
import type { ProjectRecord } from '../../storage/projects-repo.js';
import type { JobQueue, RunJob } from '../../storage/job-queue.js';
import type { EventLog } from '../event-log.js';
import type { TaskState } from '../task-state.js';

export interface WorkerLoopDeps {
  name: string;
  capacity: number;
  /** Project ids or names this worker serves; null: every project. */
  projects: readonly string[] | null;
  /** Tasks running at once across the whole fleet; null: no cap beyond each worker's capacity. */
  maxRunning: number | null;
  storage: Storage;
  jobs: JobQueue;
  events: EventLog;
  state: TaskState;
  runs: Runs;
  /** Makes sure this machine reaches a project (its clone of the project's remote); throws when it cannot. */
  reach(project: ProjectRecord): Promise<unknown>;
  log: (msg: string, err?: unknown) => void;
}

/** How long a project whose remote this worker could not reach is left out before it tries again. */
const UNREACHABLE_RETRY_MS = 60_000;

const capOf = (value: unknown): number | null => (typeof value === 'number' && value > 0 ? value : null);

export function createWorkerLoop(deps: WorkerLoopDeps) {
  const { storage } = deps;
  /** The job of each task this worker runs. */
  const held = new Map<string, RunJob>();
  let chain: Promise<void> = Promise.resolve();
  let stopped = false;
  let timer: NodeJS.Timeout | null = null;

  /** When each project was last found unreachable from here. */
  const unreachable = new Map<string, number>();
  const reached = new Set<string>();

  /** Whether this worker can work on `project` (it reaches its remote); said once when it cannot. */
  async function canReach(project: ProjectRecord): Promise<boolean> {
    if (reached.has(project.id)) return true;
    const since = unreachable.get(project.id);
    if (since !== undefined && Date.now() - since < UNREACHABLE_RETRY_MS) return false;
    try {
      await deps.reach(project);
      reached.add(project.id);
      unreachable.delete(project.id);
      return true;
    } catch (err) {
      if (since === undefined)
        deps.log(`worker ${deps.name} cannot reach project ${project.name}; it takes none of its tasks`, err);
      unreachable.set(project.id, Date.now());
      return false;
    }
  }

  /** The projects whose tasks this worker takes: those it serves and reaches. */
  async function projectIds(): Promise<string[]> {
    const all = await storage.projects.list();
    const served = deps.projects
      ? all.filter((p) => deps.projects!.includes(p.id) || deps.projects!.includes(p.name))
      : all;
    const out: string[] = [];
    for (const p of served) if (await canReach(p)) out.push(p.id);
    return out;
  }

  /**
   * Takes one job.
   * Rules: a job whose task is gone or no longer queued is done (its work happened elsewhere, or was
   * cancelled); a task the caps leave no room for goes back to the front of its queue; a claimed task
   * records this worker, and says so when it continues another's work.
   */
  async function take(job: RunJob): Promise<void> {
    const task = await storage.tasks.findById(job.taskId);
    if (task?.status !== 'queued') return void (await deps.jobs.complete(job));
    const project = await storage.projects.findById(task.projectId);
    const caps = { maxRunning: deps.maxRunning, maxPerProject: capOf(project?.settings.maxConcurrentTasks) };
    const previous = task.worker;
    const claimed = await deps.state.claim(
      task,
      { ...startColumns(task), worker: deps.name, dispatchJob: job.id },
      caps,
    );
    if (!claimed) {
      const now = await storage.tasks.findById(job.taskId);
      if (now?.status === 'queued') await deps.jobs.requeue(job);
      else await deps.jobs.complete(job);
      return;
    }
    held.set(task.id, job);
    const where = previous && previous !== deps.name ? ` (worker ${previous} was lost)` : '';
    await deps.events.emit(task.id, {
      type: 'notice',
      data: { message: `running on worker ${deps.name}${where}` },
    });
    await deps.runs.launchStarted(claimed);
  }

  async function fill(): Promise<void> {
    if (stopped) return;
    const free = deps.capacity - deps.runs.activeCount();
    if (free <= 0) return;
    const jobs = await deps.jobs.claim(await projectIds(), free);
    for (const job of jobs) {
      await take(job).catch((err) => deps.log(`could not start task ${job.taskId}`, err));
    }
  }

  const logClaimFailure = (err: unknown) => deps.log('claiming work failed', err);
  const tick = () => {
    chain = chain.then(fill).catch(logClaimFailure);
    return chain;
  };
  /** A tick whose end nobody waits for (woken by the feed, the timer, a freed slot). */
  const wake = () => {
    tick().catch(logClaimFailure);
  };

  // A task that settled frees its job and its slot.
  deps.runs.onFinished((taskId) => {
    const job = held.get(taskId);
    if (!job || deps.runs.isActive(taskId)) return;
    held.delete(taskId);
    deps.jobs
      .complete(job)
      .catch((err) => deps.log(`completing the job of task ${taskId} failed`, err))
      .finally(wake);
  });

  return {
    tick,
    /** Claims work now, when woken, and every `intervalMs`. */
    start(intervalMs: number) {
      storage.feed.listen('gluon_dispatch', wake);
      timer ??= setInterval(wake, intervalMs);
      return tick();
    },
    stop() {
      stopped = true;
      if (timer) clearInterval(timer);
      timer = null;
    },
    /** Tasks whose job this worker holds. */
    holding: () => [...held.keys()],
  };
}

export type WorkerLoop = ReturnType<typeof createWorkerLoop>;
