/**
 * `gluon logs <id> [-f] [--json]`: the task's events as a readable log (or JSON lines). Without `-f`,
 * prints what is stored and exits. With `-f`, then follows the live stream (reconnecting as needed) while the task is queued or
 * running, and ends with a summary line once it is not.
 */
import type { Command } from 'commander';
import type { TaskDto } from '../../../shared/api.js';
import type { GluonEvent } from '../../../shared/events.js';
import { ApiError, iterateEvents, type GluonClient } from '../../../shared/client.js';
import { followTask, isActive } from '../../../shared/follow-task.js';
import { SubscriptionError } from '../../../shared/live-socket.js';
import type { ServerConfig } from '../config.js';
import type { CliContext } from '../context.js';
import { renderTaskSummary } from '../format-task.js';
import { LogPrinter } from '../log-printer.js';

/** Failed reconnects in a row before `-f` gives up (about two and a half minutes with the backoff). */
const MAX_RECONNECTS = 20;

/** Where events go: the readable log, or JSON lines. */
interface EventSink {
  print(event: GluonEvent): void;
  /** Ends an unfinished line (before a notice on stderr, and at the end). */
  end(): void;
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

/** Follows the live stream from `afterSeq` and resolves with the task once it stopped running. */
async function follow(
  ctx: CliContext,
  client: GluonClient,
  config: ServerConfig,
  task: TaskDto,
  printer: EventSink,
  afterSeq: number,
): Promise<TaskDto> {
  const follower = followTask({
    baseUrl: config.baseUrl,
    token: config.token,
    client,
    task,
    afterSeq,
    maxRetries: MAX_RECONNECTS,
    onEvent: (event) => printer.print(event),
    onReconnecting: () => {
      printer.end();
      ctx.err('gluon: lost the live stream, reconnecting…');
    },
    onReconnected: () => ctx.err('gluon: reconnected'),
  });
  try {
    return await follower.done;
  } catch (error) {
    if (!(error instanceof SubscriptionError)) throw error;
    const status = /^http_(\d+)$/.exec(error.code)?.[1];
    throw new ApiError(status ? Number(status) : 0, error.code, error.message);
  }
}
