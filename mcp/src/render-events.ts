/**
 * Task events as short text lines for an agent reading a task's history: the shared event text
 * (shared/event-text.ts) as plain `[tag] text` lines, the agent's own words as they are, tool results
 * folded under their call. Streaming slices (`agent.delta`) and running cost ticks are left out: the
 * completed blocks and the final cost say it all.
 */
import { eventLines, type EventLine } from '../../shared/event-text.js';
import type { GluonEvent } from '../../shared/events.js';
import { oneLine, truncate } from '../../shared/text.js';

const TEXT_MAX = 1500;
const LINE_MAX = 240;

/**
 * One shared line as plain text.
 * Rules: the agent's text keeps its line breaks (cut at 1,500 characters); a detail is indented under its
 * line; a tool result is folded under its call (`[result]`, or `[tool error]` when it failed); every other
 * line is `[tag] text` on one line, cut at 240 characters.
 */
function plain(line: EventLine): string {
  if (line.tag === 'text') return truncate(line.text.trim(), TEXT_MAX);
  const text = truncate(oneLine(line.text), LINE_MAX);
  if (line.detail) return `    ${text}`;
  if (line.tag === 'result') return `  [${line.tone === 'error' ? 'tool error' : 'result'}] ${text}`;
  return `[${line.tag}] ${text}`;
}

/** The text of one event, or null when the event is not shown on its own. */
export function describeEvent(event: GluonEvent): string | null {
  if (event.type === 'cost.updated' && !event.data.final) return null;
  const lines = eventLines(event);
  return lines.length === 0 ? null : lines.map(plain).join('\n');
}

/** One event as a numbered line (`#12 [tool] Bash: ls`), or null when it is not shown. */
export function eventLine(event: GluonEvent): string | null {
  const text = describeEvent(event);
  return text === null ? null : `#${event.seq} ${text}`;
}
