/**
 * `/logs` in a chat: the recent stream as compact lines in one message, then live updates by editing that
 * message while the task runs. Edits are coalesced to at most one per `editIntervalMs` (chat platforms
 * rate-limit edits) and the text always fits the platform's limit by keeping the newest lines.
 */
import type { TaskDto } from '../../../shared/api.js';
import { iterateEvents, type GluonClient } from '../../../shared/client.js';
import type { GluonEvent } from '../../../shared/events.js';
import { followTask, isActive, type TaskFollower } from '../../../shared/follow-task.js';
import type { Subscription, SubscribeTaskOptions } from '../../../shared/ws-client.js';
import { eventLines } from './log-lines.js';
import { taskTag } from './reply.js';
import { taskLink } from './render.js';
import { formatUsd, oneLine, truncate } from '../../../shared/text.js';
import { fitTail } from './text.js';

/** Where the log is shown: the first call sends a message, later calls edit it. */
export interface LogView {
  show(text: string): Promise<void>;
}

export interface FollowLogOptions {
  client: Pick<GluonClient, 'getTask' | 'events'>;
  stream: { baseUrl: string; token?: string };
  taskId: string;
  view: LogView;
  /** The platform's message size limit (characters). */
  limit: number;
  editIntervalMs: number;
  /** Stop following after this long (a chat is not a terminal); /logs again resumes. */
  maxFollowMs: number;
  publicUrl: string;
  log: (message: string, error?: unknown) => void;
  subscribe?: (options: SubscribeTaskOptions) => Subscription;
}

export interface LogFollower {
  /** Resolves once the log is final (the task stopped, following timed out, or `stop()`). */
  done: Promise<void>;
  stop(): void;
}

/** Lines kept in memory; older ones are only counted. */
const MAX_KEPT_LINES = 1000;

/** Shows a task's log in `view` and follows it while the task is active. */
export function followLog(opts: FollowLogOptions): LogFollower {
  let lines: string[] = [];
  let dropped = 0;
  let task: TaskDto | undefined;
  let lastSeq = 0;
  let live = false;
  let ended = false;
  let note = '';
  let lastShown = '';
  let lastShownAt = 0;
  let chain: Promise<void> = Promise.resolve();
  let editTimer: NodeJS.Timeout | undefined;
  let maxTimer: NodeJS.Timeout | undefined;
  let follower: TaskFollower | undefined;
  let resolveDone: () => void = () => undefined;
  const finished = new Promise<void>((resolve) => (resolveDone = resolve));

  const push = (event: GluonEvent) => {
    lastSeq = Math.max(lastSeq, event.seq);
    if (event.type === 'cost.updated' && task) task = { ...task, costUsd: event.data.taskCostUsd };
    lines.push(...eventLines(event, task?.worktreePath));
    if (lines.length > MAX_KEPT_LINES) {
      dropped += lines.length - MAX_KEPT_LINES;
      lines = lines.slice(-MAX_KEPT_LINES);
    }
  };

  const render = () => {
    const t = task!;
    const state = `${t.status}${t.stopReason && !isActive(t) ? ` (${t.stopReason})` : ''}`;
    const header = `📜 ${taskTag(t.id)} ${truncate(oneLine(t.title), 80)}\n${state} · ${formatUsd(t.costUsd)}${live && !ended ? ' · live' : ''}`;
    const footer = [note, taskLink(opts.publicUrl, t.id)].filter(Boolean).join('\n');
    return fitTail(header, lines.length ? lines : ['(no events yet)'], footer, opts.limit, dropped);
  };

  const logShowFailure = (error: unknown) => opts.log(`could not show the log of task ${task?.id}`, error);
  const endAfterFailedShow = (error: unknown) => {
    logShowFailure(error);
    resolveDone();
  };

  const publish = () => {
    chain = chain.then(async () => {
      const text = render();
      if (text === lastShown) return;
      lastShown = text;
      lastShownAt = Date.now();
      try {
        await opts.view.show(text);
      } catch (error) {
        logShowFailure(error);
      }
    });
    return chain;
  };

  /** Publishes at the next allowed moment, once, however many lines arrive meanwhile. */
  const schedule = () => {
    if (editTimer || ended) return;
    editTimer = setTimeout(
      () => {
        editTimer = undefined;
        publish().catch(logShowFailure);
      },
      Math.max(0, lastShownAt + opts.editIntervalMs - Date.now()),
    );
  };

  const finish = (why = '') => {
    if (ended) return;
    ended = true;
    note = why;
    follower?.stop();
    clearTimeout(editTimer);
    clearTimeout(maxTimer);
    const wait = Math.max(0, lastShownAt + opts.editIntervalMs - Date.now());
    setTimeout(() => publish().then(resolveDone, endAfterFailedShow), wait);
  };

  const run = async () => {
    task = await opts.client.getTask(opts.taskId);
    for await (const event of iterateEvents(opts.client, task.id)) push(event);
    live = isActive(task);
    if (!live) {
      ended = true;
      await publish();
      return resolveDone();
    }
    await publish();
    const minutes = Math.round(opts.maxFollowMs / 60_000);
    maxTimer = setTimeout(
      () => finish(`(stopped following after ${minutes} min; /logs again to resume)`),
      opts.maxFollowMs,
    );
    follower = followTask({
      ...opts.stream,
      client: opts.client,
      task,
      afterSeq: lastSeq,
      subscribe: opts.subscribe,
      onEvent: (event) => {
        push(event);
        schedule();
      },
      onTask: (fresh) => {
        task = fresh;
        schedule();
      },
    });
    void follower.done.then(
      () => finish(),
      () => finish('(lost the live stream)'),
    );
  };

  const started = run();
  return {
    done: started.then(() => finished),
    stop: () => finish(),
  };
}
