/**
 * The live token count of a Codex run. `codex exec --json` reports usage once, when the turn ends, but a
 * turn can make many model requests; a cost cap that waited for the end would hold only after the whole
 * run. Codex records its thread as it goes in `$CODEX_HOME/sessions/…/rollout-…-<thread id>.jsonl`, with a
 * `token_count` event after every response carrying the thread's running total. Reading the new lines of
 * that file gives the cost as it grows. It is Codex's own record, not a promised interface: if it cannot be
 * read, the run's cost is simply known at the end of the turn instead.
 */
import { open, readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { StringDecoder } from 'node:string_decoder';
import { codexUsageFrom, type CodexUsage } from '../domain/openai-pricing.js';

/** Finds the rollout file of a thread (the newest one, should there be several). */
export async function findRolloutFile(home: string, threadId: string): Promise<string | null> {
  const suffix = `-${threadId}.jsonl`;
  const found: string[] = [];
  try {
    for (const entry of await readdir(path.join(home, 'sessions'), { recursive: true })) {
      if (entry.endsWith(suffix) && path.basename(entry).startsWith('rollout-')) found.push(entry);
    }
  } catch {
    return null;
  }
  found.sort();
  const last = found.at(-1);
  return last ? path.join(home, 'sessions', last) : null;
}

/** The thread's running token total in one rollout line, or null when the line is not a token count. */
export function totalFromLine(line: string): CodexUsage | null {
  if (!line.includes('"token_count"')) return null;
  try {
    const parsed = JSON.parse(line) as { type?: unknown; payload?: { type?: unknown; info?: unknown } };
    if (parsed.type !== 'event_msg' || parsed.payload?.type !== 'token_count') return null;
    const info = parsed.payload.info as { total_token_usage?: unknown } | null | undefined;
    return codexUsageFrom(info?.total_token_usage);
  } catch {
    return null;
  }
}

/** Follows a thread's rollout file from a byte offset on, keeping the latest running total. */
export class RolloutReader {
  total: CodexUsage | null = null;
  /** Told every complete line read from now on (set it after `prime` to see only this run's lines). */
  onLine: ((line: string) => void) | null = null;
  private file: string | null = null;
  private offset = 0;
  private partial = '';
  private reading: Promise<boolean> | null = null;
  private readonly decoder = new StringDecoder('utf8');

  constructor(
    private readonly home: string,
    private threadId: string | null,
  ) {}

  /**
   * Reads what the file holds now and remembers where it ends: for a resumed thread, the total before this
   * run (its baseline) and the point from which this run's lines start.
   */
  async prime(): Promise<CodexUsage | null> {
    await this.poll();
    return this.total;
  }

  /** Sets the thread once Codex has announced it (a new thread's file appears with it). */
  follow(threadId: string): void {
    this.threadId ??= threadId;
  }

  /** Reads the lines added since the last call; true when the running total changed. One read at a time. */
  poll(): Promise<boolean> {
    this.reading ??= this.read().finally(() => (this.reading = null));
    return this.reading;
  }

  private async read(): Promise<boolean> {
    if (!this.threadId) return false;
    this.file ??= await findRolloutFile(this.home, this.threadId);
    if (!this.file) return false;
    try {
      const size = (await stat(this.file)).size;
      if (size <= this.offset) return false;
      const handle = await open(this.file, 'r');
      try {
        const buffer = Buffer.alloc(size - this.offset);
        const { bytesRead } = await handle.read(buffer, 0, buffer.length, this.offset);
        this.offset += bytesRead;
        return this.take(this.decoder.write(buffer.subarray(0, bytesRead)));
      } finally {
        await handle.close();
      }
    } catch {
      return false;
    }
  }

  private take(text: string): boolean {
    const lines = (this.partial + text).split('\n');
    this.partial = lines.pop() ?? '';
    let changed = false;
    for (const line of lines) {
      this.onLine?.(line);
      const total = totalFromLine(line);
      if (total) {
        this.total = total;
        changed = true;
      }
    }
    return changed;
  }
}
