/**
 * Task events as compact chat lines: the shared event text (shared/event-text.ts) with an emoji for what
 * each line is about, the agent's text in full (it is what the agent says), results and details indented.
 * Cost ticks, deltas, thinking and session bookkeeping are left out: the log header shows the cost.
 */
import { eventLines as sharedEventLines, type EventLine, type EventTag } from '../../../shared/event-text.js';
import type { EventType, GluonEvent } from '../../../shared/events.js';
import { truncate } from '../../../shared/text.js';

/** No single line is longer than this, so one line can never break a message's size limit. */
export const MAX_LINE = 300;

/** Events a chat log does not show (the header has the cost; the notifier sends notifications). */
const LEFT_OUT = new Set<EventType>([
  'agent.delta',
  'agent.thinking',
  'cost.updated',
  'notification',
  'task.created',
  'run.started',
  'run.session',
]);

const PREFIX: Record<EventTag, string> = {
  text: '💬',
  thinking: '💭',
  tool: '🔧',
  result: '   ↳',
  status: '▶',
  moved: '▶ moved',
  task: '🆕',
  run: '⏹ run',
  session: '·',
  cost: '💸 cost',
  error: '⚠️',
  commit: '📦 commit',
  question: '❓',
  approval: '✋',
  option: '  ',
  reason: '  ',
  notice: 'ℹ️',
  health: '🩺 health',
  notify: '🔔',
  loop: '🔁',
  step: '🪜 step',
  git: '🔀',
};

/** The lines that show one event in a chat log (none for events not worth a line). */
export function eventLines(event: GluonEvent, worktreePath?: string | null): string[] {
  if (LEFT_OUT.has(event.type)) return [];
  return sharedEventLines(event, { worktreePath })
    .flatMap(decorate)
    .map((line) => truncate(line, MAX_LINE));
}

/** One shared line in a chat: its emoji, a failed result as ✗, the agent's text line by line. */
export function decorate(line: EventLine): string[] {
  if (line.tag === 'text')
    return line.text.split(/\r?\n/).map((text, i) => (i === 0 ? `${PREFIX.text} ${text}` : `   ${text}`));
  const prefix = line.tag === 'result' && line.tone === 'error' ? '   ✗' : PREFIX[line.tag];
  return [`${prefix} ${line.text}`];
}
