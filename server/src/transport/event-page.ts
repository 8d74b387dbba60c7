/**
 * One page of a task's stored events (GET /api/tasks/:id/events), bounded twice: at most `limit` events
 * and about `maxBytes` of JSON, so no request builds a response of hundreds of megabytes. The store is read
 * in small chunks and each event is serialised once, straight into the answer. `lastSeq` is the cursor:
 * ask again with `after=lastSeq` while `more` is true.
 */
import type { GluonEvent } from '../../../shared/events.js';

/** The most JSON one page carries (one event more than this when that single event is larger). */
export const MAX_EVENT_PAGE_BYTES = 4 * 1024 * 1024;
const CHUNK = 500;

type Backlog = (afterSeq: number, limit: number) => Promise<GluonEvent[]>;

/**
 * The page after `after` as JSON text: `{"events":[…],"lastSeq":n,"more":bool}`.
 * Rules: events in `seq` order; a page always holds at least one event when one exists, so a reader
 * always moves on; it stops before the event that would take it past `maxBytes`, or at `limit`; `more`
 * says whether the store holds events after `lastSeq`.
 */
export async function readEventPage(
  backlog: Backlog,
  after: number,
  limit: number,
  maxBytes: number = MAX_EVENT_PAGE_BYTES,
): Promise<string> {
  const parts: string[] = [];
  let bytes = 0;
  let lastSeq = after;
  let more = false;
  for (;;) {
    // One more than still fits, so a full page knows whether another follows.
    const want = Math.min(CHUNK, limit - parts.length + 1);
    const chunk = await backlog(lastSeq, want);
    for (const event of chunk) {
      const json = JSON.stringify(event);
      const size = Buffer.byteLength(json) + 1;
      if (parts.length === limit || (parts.length > 0 && bytes + size > maxBytes)) {
        more = true;
        break;
      }
      parts.push(json);
      bytes += size;
      lastSeq = event.seq;
    }
    if (more || chunk.length < want) break;
  }
  return `{"events":[${parts.join(',')}],"lastSeq":${lastSeq},"more":${more}}`;
}
