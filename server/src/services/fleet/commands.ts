/**
 * Reaching a run on another machine. A server that is asked to stop a task, or to answer what its agent
 * waits for, sends a command to the worker that runs it (a pg-boss queue per worker, woken at once by a
 * NOTIFY carrying only the worker's name), then waits until the task shows the effect. The worker takes
 * its commands as they come (and every second, in case a wake-up was missed) and applies each locally.
 */
import { z } from 'zod';
import type { StopCause } from '../../domain/run-ending.js';
import type { Storage } from '../../storage/index.js';
import type { JobQueue } from '../../storage/job-queue.js';
import type { InputRequests } from '../input-requests.js';
import type { EventLog } from '../event-log.js';
import type { Runs } from '../runs/index.js';

const outcome = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('answer'), text: z.string() }),
  z.object({ kind: z.literal('approve') }),
  z.object({ kind: z.literal('deny'), reason: z.string().optional() }),
]);
const STOP_CAUSES = ['cancelled', 'cost_cap', 'paused', 'input_required', 'stopped', 'died'] as const;
const command = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('stop'), taskId: z.string(), cause: z.enum(STOP_CAUSES) }),
  z.object({
    kind: z.literal('input'),
    taskId: z.string(),
    input: z.enum(['question', 'approval']),
    outcome,
  }),
]);
export type WorkerCommand = z.infer<typeof command>;
type InputOutcome = z.infer<typeof outcome>;

/** How long a server waits for a worker to show a command's effect before answering with what it sees. */
const EFFECT_TIMEOUT_MS = 15_000;
const POLL_MS = 100;
/** How often a worker tries a stop whose run has not shown up yet (claimed a moment ago). */
const STOP_ATTEMPTS = 50;

export interface RemoteControlDeps {
  storage: Storage;
  jobs: JobQueue;
}

/** Stop and input decisions for runs on other machines, with the shapes `Runs.stop` and `inputs.settle` have. */
export function createRemoteControl(deps: RemoteControlDeps) {
  const send = async (worker: string, c: WorkerCommand) => {
    await deps.jobs.sendCommand(worker, c);
    await deps.storage.feed.notify('gluon_commands', worker);
  };
  async function until(
    taskId: string,
    done: (t: Awaited<ReturnType<Storage['tasks']['findById']>>) => boolean,
  ) {
    const deadline = Date.now() + EFFECT_TIMEOUT_MS;
    while (Date.now() < deadline) {
      if (done(await deps.storage.tasks.findById(taskId))) return true;
      await new Promise((r) => setTimeout(r, POLL_MS));
    }
    return false;
  }
  return {
    /** Stops a task running on a worker; resolves once it left `running` (false: it was not running). */
    async stop(taskId: string, cause: StopCause): Promise<boolean> {
      const task = await deps.storage.tasks.findById(taskId);
      if (task?.status !== 'running' || !task.worker || cause === 'shutdown' || cause === 'held')
        return false;
      await send(task.worker, { kind: 'stop', taskId, cause });
      await until(taskId, (t) => t?.status !== 'running');
      return true;
    },
    /** Settles what a task's live agent waits for; false when nothing waits live. */
    async settle(taskId: string, input: 'question' | 'approval', o: InputOutcome): Promise<boolean> {
      const task = await deps.storage.tasks.findById(taskId);
      const pending = task?.pendingInput;
      if (!task?.worker || task.status !== 'running' || !pending?.live || pending.kind !== input)
        return false;
      await send(task.worker, { kind: 'input', taskId, input, outcome: o });
      await until(taskId, (t) => t?.pendingInput?.requestId !== pending.requestId);
      return true;
    },
  };
}

/** Applies the commands sent to worker `name`, as they arrive; returns a function that stops taking them. */
export function takeCommands(deps: {
  name: string;
  storage: Storage;
  jobs: JobQueue;
  runs: Pick<Runs, 'stop' | 'isActive'>;
  inputs: Pick<InputRequests, 'settle'>;
  events: Pick<EventLog, 'emit'>;
  log: (msg: string, err?: unknown) => void;
}): () => void {
  let busy: Promise<void> | null = null;
  const apply = async (c: WorkerCommand) => {
    if (c.kind === 'input') return void (await deps.inputs.settle(c.taskId, c.input, c.outcome));
    // A stop can overtake the claim it is about (claimed, not launched yet): it is tried again until
    // the run shows up here, or the task is no longer running on this worker.
    for (let attempt = 0; attempt < STOP_ATTEMPTS; attempt++) {
      const here = deps.runs.isActive(c.taskId);
      const stopping = deps.runs.stop(c.taskId, c.cause);
      // The stream says at once that the stop reached this machine (the agent is signalled already);
      // closing the run (its work committed and pushed) can take seconds more.
      if (here) await announceStop(c.taskId, c.cause);
      if (await stopping) return;
      const task = await deps.storage.tasks.findById(c.taskId);
      if (task?.status !== 'running' || task.worker !== deps.name) return;
      await new Promise((r) => setTimeout(r, POLL_MS));
    }
    deps.log(`a stop of task ${c.taskId} found no run on this worker`);
  };
  const announceStop = (taskId: string, cause: string) =>
    deps.events
      .emit(taskId, {
        type: 'notice',
        data: { message: `worker ${deps.name} is stopping the agent (${cause})` },
      })
      .catch((err) => deps.log(`announcing the stop of task ${taskId} failed`, err));
  const drain = () => {
    busy ??= (async () => {
      for (;;) {
        const taken = await deps.jobs.takeCommands(deps.name, 20);
        if (taken.length === 0) return;
        for (const raw of taken) {
          const c = command.safeParse(raw);
          if (!c.success) deps.log('ignored a malformed worker command', c.error);
          else apply(c.data).catch((err) => deps.log(`a ${c.data.kind} command failed`, err));
        }
      }
    })()
      .catch((err) => deps.log('taking worker commands failed', err))
      .finally(() => (busy = null));
  };
  const stopListening = deps.storage.feed.listen('gluon_commands', (worker) => {
    if (worker === deps.name) drain();
  });
  const timer = setInterval(drain, 1000);
  drain();
  return () => {
    stopListening();
    clearInterval(timer);
  };
}
