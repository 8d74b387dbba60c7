/**
 * Fitting chat messages into a platform's size limit (Telegram 4,096 characters, Discord 2,000). Lengths
 * are counted in UTF-16 code units, which is what both platforms count, so a fitted text is never refused.
 */
import { truncate } from '../../../shared/text.js';

/**
 * Fits a text into `limit` by keeping its head.
 * Rules: a text within the limit is unchanged; otherwise it is cut at the last line break that keeps room
 * for the marker (or mid-line when a single line is too long) and ends with "… (cut)".
 */
export function fitHead(text: string, limit: number): string {
  if (text.length <= limit) return text;
  const marker = '\n… (cut)';
  const room = limit - marker.length;
  const head = text.slice(0, room);
  const lineEnd = head.lastIndexOf('\n');
  return `${lineEnd > room / 2 ? head.slice(0, lineEnd) : truncate(head, room)}${marker}`;
}

/**
 * Lays out a header and the newest log lines within `limit`.
 * Rules: the header and footer always stay; lines are kept from the newest backwards while they fit;
 * when older lines (or earlier ones the caller already dropped, `droppedBefore`) are left out, a line
 * "… N earlier lines" says so; a single line longer than the room is truncated.
 */
export function fitTail(
  header: string,
  lines: readonly string[],
  footer: string,
  limit: number,
  droppedBefore = 0,
): string {
  const fixed = header.length + footer.length + 2;
  const kept: string[] = [];
  let used = fixed;
  const markerRoom = 32;
  for (let i = lines.length - 1; i >= 0; i--) {
    const line = lines[i]!;
    const hidden = droppedBefore + i;
    const reserve = hidden > 0 ? markerRoom : 0;
    if (used + line.length + 1 + reserve > limit) {
      if (kept.length === 0) kept.unshift(truncate(line, Math.max(1, limit - used - markerRoom - 1)));
      break;
    }
    kept.unshift(line);
    used += line.length + 1;
  }
  const hidden = droppedBefore + lines.length - kept.length;
  const body = hidden > 0 ? [`… ${hidden} earlier line${hidden === 1 ? '' : 's'}`, ...kept] : kept;
  return [header, ...body, footer].filter((part) => part !== '').join('\n');
}
