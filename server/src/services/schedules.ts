/**
 * Schedules: a cron line and a prompt that make a task each time they are due. A tick (every
 * `tickMs`, or a test's call with its own clock) claims each due schedule with a guarded update and
 * creates its task; the task's end is the run's outcome, and three failed runs in a row pause the schedule.
 */
import type { CreateScheduleBody, ScheduleDto } from '../../../shared/intake-api.js';
import { createScheduleBody } from '../../../shared/intake-api.js';
import { afterOutcome, checkCron, nextDue, outcomeOfStatus, type RunOutcome } from './schedule-policy.js';
import { conflict, invalidInput, notFound } from '../errors.js';
import { newId } from '../ids.js';
import type { Storage } from '../storage/index.js';
import type { ScheduleRecord, SchedulesRepo } from '../storage/schedules-repo.js';
import type { TaskRecord } from '../storage/tasks-repo.js';
import type { EventLog } from './event-log.js';
import type { Projects } from './projects.js';
import type { Tasks } from './tasks.js';

export interface SchedulesDeps {
  storage: Storage;
  repo: SchedulesRepo;
  projects: Pick<Projects, 'find'>;
  tasks: Pick<Tasks, 'create'>;
  events: Pick<EventLog, 'subscribe' | 'emit'>;
  /** The clock (tests bring their own). */
  now: () => Date;
  /** Time zone of the cron lines; default: the server's. */
  timezone?: string;
  log: (msg: string, err?: unknown) => void;
}

export function createSchedules(deps: SchedulesDeps) {
  const { repo, storage } = deps;
  const nowIso = () => deps.now().toISOString();
  const nextAfter = (cron: string, after: Date) => nextDue(cron, after, deps.timezone)?.toISOString() ?? null;

  async function get(idOrPrefix: string): Promise<ScheduleRecord> {
    const exact = await repo.findById(idOrPrefix);
    if (exact && exact.status !== 'removed') return exact;
    const ids = await repo.idsByPrefix(idOrPrefix);
    const live = (await Promise.all(ids.map((id) => repo.findById(id)))).filter(
      (s): s is ScheduleRecord => !!s && s.status !== 'removed',
    );
    if (live.length === 0) throw notFound(`schedule ${idOrPrefix}`);
    if (live.length > 1) throw conflict('ambiguous_id', `${idOrPrefix} matches several schedules`);
    return live[0]!;
  }

  /** Records one run's outcome on its schedule: the count of failures in a row, and a pause at three. */
  async function applyOutcome(scheduleId: string, outcome: RunOutcome): Promise<void> {
    const s = await repo.findById(scheduleId);
    if (!s || s.status === 'removed') return;
    const health = afterOutcome(s.failures, outcome);
    await repo.setState(s.id, {
      failures: health.failures,
      ...(health.pause && s.status === 'active' ? { status: 'paused', pausedReason: health.pause } : {}),
    });
    if (health.pause) deps.log(`schedule ${s.id} (${s.cron}) ${health.pause}`);
  }

  /** Creates the task of one run; a task that cannot be created counts as a failed run. */
  async function fire(s: ScheduleRecord, dueAt: string): Promise<TaskRecord | null> {
    let task: TaskRecord;
    try {
      task = await deps.tasks.create({
        project: s.projectId,
        prompt: s.prompt,
        ...(s.options.title && { title: s.options.title }),
        ...(s.options.profile && { profile: s.options.profile }),
        ...(s.options.agent && { agent: s.options.agent }),
        ...(s.options.maxCostUsd && { maxCostUsd: s.options.maxCostUsd }),
      });
    } catch (error) {
      deps.log(`schedule ${s.id} could not create its task`, error);
      await applyOutcome(s.id, 'failed');
      return null;
    }
    await repo.insertRun({ taskId: task.id, scheduleId: s.id, dueAt, outcome: null, createdAt: nowIso() });
    await deps.events.emit(task.id, {
      type: 'notice',
      data: { message: `started by schedule ${s.id} (${s.cron}), due ${dueAt}` },
    });
    return task;
  }

  /** A task of a schedule settled: its outcome counts once. */
  async function onStatus(taskId: string, to: string): Promise<void> {
    const outcome = outcomeOfStatus(to);
    if (!outcome) return;
    const run = await repo.runOfTask(taskId);
    if (!run || !(await repo.settleRun(taskId, outcome))) return;
    await applyOutcome(run.scheduleId, outcome);
  }

  const unsubscribe = deps.events.subscribe(
    (e) => {
      if (e.type === 'status.changed')
        onStatus(e.taskId, e.data.to).catch((err) => deps.log('recording a schedule run failed', err));
    },
    { remote: true },
  );

  let timer: NodeJS.Timeout | null = null;
  let ticking: Promise<number> | null = null;

  const service = {
    get,
    async create(input: CreateScheduleBody): Promise<ScheduleRecord> {
      const body = createScheduleBody.parse(input);
      const cron = body.cron.trim().replace(/\s+/g, ' ');
      const checked = checkCron(cron);
      if (!checked.ok) throw invalidInput(checked.message);
      const project = await deps.projects.find(body.project);
      if (!project) throw notFound(`project ${body.project}`);
      const record: ScheduleRecord = {
        id: newId(),
        projectId: project.id,
        cron,
        prompt: body.prompt,
        options: {
          ...(body.title && { title: body.title }),
          ...(body.profile && { profile: body.profile }),
          ...(body.agent && { agent: body.agent }),
          ...(body.maxCostUsd && { maxCostUsd: body.maxCostUsd }),
        },
        status: 'active',
        failures: 0,
        pausedReason: null,
        nextRunAt: nextAfter(cron, deps.now()),
        lastRunAt: null,
        createdAt: nowIso(),
      };
      await repo.insert(record);
      return record;
    },
    list: () => repo.list(),
    runs: (id: string) => repo.runs(id),
    async pause(idOrPrefix: string): Promise<ScheduleRecord> {
      const s = await get(idOrPrefix);
      await repo.setState(s.id, { status: 'paused', pausedReason: 'paused by a user' });
      return (await repo.findById(s.id))!;
    },
    /** Resumes a paused schedule: failures forgotten, next due from now (missed times are not caught up). */
    async resume(idOrPrefix: string): Promise<ScheduleRecord> {
      const s = await get(idOrPrefix);
      await repo.setState(s.id, {
        status: 'active',
        failures: 0,
        pausedReason: null,
        nextRunAt: nextAfter(s.cron, deps.now()),
      });
      return (await repo.findById(s.id))!;
    },
    async remove(idOrPrefix: string): Promise<ScheduleRecord> {
      const s = await get(idOrPrefix);
      await repo.remove(s.id);
      return { ...s, status: 'removed', nextRunAt: null };
    },
    /** Runs a schedule now, once, whatever its status (its next due time stays). */
    async runNow(idOrPrefix: string): Promise<TaskRecord> {
      const s = await get(idOrPrefix);
      const task = await fire(s, nowIso());
      if (!task)
        throw conflict('schedule_run_failed', 'the schedule’s task could not be created (see the log)');
      return task;
    },
    /**
     * Starts every schedule due by now, once each; returns how many ran.
     * Rules: a schedule claimed by another tick is skipped; after downtime a schedule runs once (not once
     * per missed time) and its next time is the first one after now.
     */
    async tick(): Promise<number> {
      if (ticking) return ticking;
      ticking = (async () => {
        const now = deps.now();
        let fired = 0;
        for (const s of await repo.listDue(now.toISOString())) {
          const dueAt = s.nextRunAt!;
          if (!(await repo.claimDue(s.id, dueAt, nextAfter(s.cron, now), now.toISOString()))) continue;
          if (await fire(s, dueAt)) fired += 1;
        }
        return fired;
      })().finally(() => (ticking = null));
      return ticking;
    },
    /** Ticks every `intervalMs` until `stop`. */
    start(intervalMs: number): void {
      if (timer) return;
      timer = setInterval(() => {
        service.tick().catch((err: unknown) => deps.log('running schedules failed', err));
      }, intervalMs);
      timer.unref();
    },
    stop(): void {
      if (timer) clearInterval(timer);
      timer = null;
      unsubscribe();
    },
    /** The public shape of a schedule (project by name, runs with their tasks' titles and statuses). */
    async present(s: ScheduleRecord, withRuns = false): Promise<ScheduleDto> {
      const project = await storage.projects.findById(s.projectId);
      const dto: ScheduleDto = {
        id: s.id,
        project: project?.name ?? s.projectId,
        cron: s.cron,
        prompt: s.prompt,
        title: s.options.title ?? null,
        profile: s.options.profile ?? null,
        agent: s.options.agent ?? null,
        maxCostUsd: s.options.maxCostUsd ?? null,
        status: s.status,
        failures: s.failures,
        pausedReason: s.pausedReason,
        nextRunAt: s.nextRunAt,
        lastRunAt: s.lastRunAt,
        createdAt: s.createdAt,
      };
      if (!withRuns) return dto;
      const runs = await repo.runs(s.id);
      dto.runs = await Promise.all(
        runs.map(async (r) => {
          const task = await storage.tasks.findById(r.taskId);
          return {
            taskId: r.taskId,
            title: task?.title ?? '',
            status: task?.status ?? null,
            dueAt: r.dueAt,
            outcome: r.outcome,
          };
        }),
      );
      return dto;
    },
  };
  return service;
}

export type Schedules = ReturnType<typeof createSchedules>;
