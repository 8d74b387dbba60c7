/**
 * `gluon logs <id> [-f] [--json]`: the task's events as a readable log (or JSON lines). Without `-f`,
 * prints what is stored and exits. With `-f`, then follows the live stream (reconnecting as needed) while the task is queued or
 * running, and ends with a summary line once it is not.
 */
import type { Command } from 'commander';
import type { TaskDto } from '../../../shared/api.js';
import type { GluonEvent } from '../../../shared/events.js';
import { ApiError, iterateEvents, type GluonClient } from '../../../shared/client.js';
import { subscribeTask } from '../../../shared/ws-client.js';
import type { ServerConfig } from '../config.js';
import type { CliContext } from '../context.js';
import { renderTaskSummary } from '../format-task.js';
import { LogPrinter } from '../log-printer.js';

/** How long to wait for the events a finished task reported (`lastEventSeq`) before giving up on them. */
const TRAILING_EVENTS_GRACE_MS = 2_000;
/** Failed reconnects in a row before `-f` gives up (about two and a half minutes with the backoff). */
const MAX_RECONNECTS = 20;

/** Where events go: the readable log, or JSON lines. */
interface EventSink {
  print(event: GluonEvent): void;
  /** Ends an unfinished line (before a notice on stderr, and at the end). */
  end(): void;
}

/** Whether `logs -f` keeps following the task. */
export function isActive(task: TaskDto): boolean {
  return task.status === 'queued' || task.status === 'running';
}

/** Registers `logs`. */
export function registerLogs(program: Command, ctx: CliContext): void {
  program
    .command('logs')
    .description("Print a task's log; with -f, follow it live until the task stops running")
    .argument('<id>', 'task id or a unique prefix (4+ characters)')
    .option('-f, --follow', 'follow the live stream')
    .option('--json', 'print the events as JSON, one per line')
    .action(async (id: string, opts: { follow?: boolean; json?: boolean }, cmd: Command) => {
      const { client, config } = ctx.connect(cmd);
      const task = await client.getTask(id);
      const sink: EventSink = opts.json
        ? { print: (event) => ctx.out(JSON.stringify(event)), end: () => undefined }
        : new LogPrinter({
            style: ctx.style,
            worktreePath: task.worktreePath,
            write: (chunk) => void ctx.io.stdout.write(chunk),
            streamDeltas: Boolean(opts.follow),
          });
      let lastSeq = 0;
      for await (const event of iterateEvents(client, task.id)) {
        sink.print(event);
        lastSeq = event.seq;
      }
      const final =
        opts.follow && isActive(task) ? await follow(ctx, client, config, task, sink, lastSeq) : task;
      sink.end();
      if (!opts.json) ctx.out(renderTaskSummary(final, ctx.style));
    });
}

/**
 * Follows the live stream from `afterSeq` and resolves with the task once it stopped running.
 * Rules: the task's state comes from `task.updated` messages and from a fresh GET after each
 * (re)subscription (it may have ended before we subscribed); the newest `updatedAt` wins; once it is no
 * longer active, wait until its `lastEventSeq` was printed (or a short grace passed), then stop.
 */
function follow(
  ctx: CliContext,
  client: GluonClient,
  config: ServerConfig,
  initial: TaskDto,
  printer: EventSink,
  afterSeq: number,
): Promise<TaskDto> {
  return new Promise((resolve, reject) => {
    let latest = initial;
    let lastSeq = afterSeq;
    let reconnecting = false;
    let graceTimer: NodeJS.Timeout | undefined;

    const finish = () => {
      clearTimeout(graceTimer);
      subscription.close();
      resolve(latest);
    };
    const check = () => {
      if (isActive(latest)) return;
      if (lastSeq >= latest.lastEventSeq) return finish();
      graceTimer ??= setTimeout(finish, TRAILING_EVENTS_GRACE_MS);
    };
    const update = (task: TaskDto) => {
      if (task.updatedAt >= latest.updatedAt) latest = task;
      check();
    };

    const subscription = subscribeTask({
      baseUrl: config.baseUrl,
      token: config.token,
      taskId: initial.id,
      afterSeq,
      maxRetries: MAX_RECONNECTS,
      onEvent: (event) => {
        printer.print(event);
        lastSeq = event.seq;
        check();
      },
      onTask: update,
      onSubscribed: () => {
        if (reconnecting) ctx.err('gluon: reconnected');
        reconnecting = false;
        client.getTask(initial.id).then(update, () => undefined);
      },
      onError: (error) => {
        if (error.fatal) {
          clearTimeout(graceTimer);
          const status = /^http_(\d+)$/.exec(error.code)?.[1];
          reject(new ApiError(status ? Number(status) : 0, error.code, error.message));
          return;
        }
        if (!reconnecting) {
          printer.end();
          ctx.err('gluon: lost the live stream, reconnecting…');
        }
        reconnecting = true;
      },
    });
  });
}
