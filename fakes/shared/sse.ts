/**
 * What the scripted LLM fakes share when they stream an answer as server-sent events: the event
 * itself, ids, the cut of a text into deltas, and a pause that ends early when the client goes away.
 */
import { randomBytes } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';

const SLOW_PIECES = 10;
const WORDS_PER_DELTA = 4;

/** Writes one event (`data` is its JSON); nothing once the client has gone or the stream ended. */
export function sendEvent(res: ServerResponse, type: string, data: Record<string, unknown>): void {
  if (res.destroyed || res.writableEnded) return;
  res.write(`event: ${type}\ndata: ${JSON.stringify(data)}\n\n`);
}

/**
 * Waits `ms`, cut short when the client disconnects so a cancelled run leaves no timer behind.
 * Resolves false if the client went away.
 */
export async function pause(ms: number, res: ServerResponse): Promise<boolean> {
  if (res.destroyed) return false;
  const abort = new AbortController();
  const onClose = (): void => abort.abort();
  res.once('close', onClose);
  try {
    await sleep(ms, undefined, { signal: abort.signal });
    return true;
  } catch {
    return false;
  } finally {
    res.off('close', onClose);
  }
}

/** An id the way the API writes one (`msg_…`, `resp_…`), marked as the fake's. */
export function newId(prefix: string): string {
  return `${prefix}_fake${randomBytes(12).toString('hex')}`;
}

/**
 * Splits text into deltas that concatenate back to it exactly (whitespace kept): a few words each,
 * or about ten pieces when `slow` (a text spread over time).
 */
export function splitText(text: string, slow: boolean): string[] {
  const words = text.match(/\S+\s*|\s+/g) ?? [''];
  const per = slow ? Math.ceil(words.length / SLOW_PIECES) : WORDS_PER_DELTA;
  const pieces: string[] = [];
  for (let i = 0; i < words.length; i += per) pieces.push(words.slice(i, i + per).join(''));
  return pieces;
}

/** A tool call's input (JSON or text) in two deltas, as the APIs stream it. */
export function halves(text: string): string[] {
  const half = Math.ceil(text.length / 2);
  return [text.slice(0, half), text.slice(half)];
}
