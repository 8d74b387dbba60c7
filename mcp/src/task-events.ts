/**
 * The tail of a task's history: its last N shown events as text lines, read backwards in growing windows
 * so that a long task costs a few pages, not its whole history.
 */
import { iterateEvents, type GluonClient } from '../../shared/client.js';
import { eventLine } from './render-events.js';

/** The most stored events one call reads, however few of them are shown. */
export const MAX_SCAN = 20_000;

export interface EventTail {
  /** Oldest first. */
  lines: string[];
  /** Whether shown events exist before the first line. */
  earlier: boolean;
}

/**
 * The last `count` shown events of a task up to `lastEventSeq`.
 * Rules: the window starts at four times `count` stored events (at least 200) ending at `lastEventSeq`;
 * events that are not shown (streaming slices, cost ticks) do not count; while the window holds fewer than
 * `count` shown events and older ones exist, it grows fourfold, up to {@link MAX_SCAN}; events stored after
 * `lastEventSeq` (a running task) wait for the next call.
 */
export async function readEventTail(
  client: Pick<GluonClient, 'events'>,
  task: { id: string; lastEventSeq: number },
  count: number,
): Promise<EventTail> {
  let window = Math.min(Math.max(count * 4, 200), MAX_SCAN);
  for (;;) {
    const after = Math.max(0, task.lastEventSeq - window);
    const lines: string[] = [];
    for await (const event of iterateEvents(client, task.id, { after, pageSize: 1000 })) {
      if (event.seq > task.lastEventSeq) break;
      const line = eventLine(event);
      if (line !== null) lines.push(line);
    }
    if (lines.length >= count || after === 0 || window >= MAX_SCAN) {
      return { lines: lines.slice(-count), earlier: lines.length > count || after > 0 };
    }
    window = Math.min(window * 4, MAX_SCAN);
  }
}
