/**
 * What the core hands to a chat surface: a plain-text reply with optional buttons, surface-neutral. Button
 * actions travel as short strings (Telegram allows 64 bytes of callback data, Discord 100 of custom id) and
 * carry the request id they answer, so a stale button can never approve a newer request.
 */

export type SurfaceName = 'telegram' | 'discord';

/** Who speaks and where: the surface, the chat (or channel) and the user's numeric id. */
export interface ChatContext {
  surface: SurfaceName;
  chatId: string;
  userId: string;
}

/** What a button does when pressed. */
export type ButtonAction =
  | { kind: 'approve'; taskId: string; requestId: string }
  | { kind: 'deny'; taskId: string; requestId: string }
  | { kind: 'answer'; taskId: string; requestId: string; option: number }
  /** Asks for a free-text answer (Discord opens a form; Telegram asks for a reply). */
  | { kind: 'reply'; taskId: string; requestId: string }
  | { kind: 'logs'; taskId: string };

export interface Button {
  label: string;
  action: ButtonAction;
  style?: 'primary' | 'secondary' | 'success' | 'danger';
}

export interface Reply {
  /** Plain text (never parsed as markup); the surface fits it into its size limit. */
  text: string;
  /** Rows of buttons. */
  buttons?: Button[][];
  /** Start following this task's log live (the reply is the first view of it). */
  followLogs?: string;
}

const ID = '[a-z0-9]{4,32}';
const PATTERNS: [RegExp, (m: RegExpExecArray) => ButtonAction][] = [
  [new RegExp(`^ok:(${ID}):(${ID})$`), (m) => ({ kind: 'approve', taskId: m[1]!, requestId: m[2]! })],
  [new RegExp(`^no:(${ID}):(${ID})$`), (m) => ({ kind: 'deny', taskId: m[1]!, requestId: m[2]! })],
  [
    new RegExp(`^q:(${ID}):(${ID}):(\\d{1,2})$`),
    (m) => ({ kind: 'answer', taskId: m[1]!, requestId: m[2]!, option: Number(m[3]) }),
  ],
  [new RegExp(`^r:(${ID}):(${ID})$`), (m) => ({ kind: 'reply', taskId: m[1]!, requestId: m[2]! })],
  [new RegExp(`^l:(${ID})$`), (m) => ({ kind: 'logs', taskId: m[1]! })],
];

/** The wire form of a button action (at most 64 bytes for ids of up to 28 characters). */
export function encodeAction(action: ButtonAction): string {
  switch (action.kind) {
    case 'approve':
      return `ok:${action.taskId}:${action.requestId}`;
    case 'deny':
      return `no:${action.taskId}:${action.requestId}`;
    case 'answer':
      return `q:${action.taskId}:${action.requestId}:${action.option}`;
    case 'reply':
      return `r:${action.taskId}:${action.requestId}`;
    case 'logs':
      return `l:${action.taskId}`;
  }
}

/** Reads a button action back; anything malformed (or forged) is null. */
export function decodeAction(data: string): ButtonAction | null {
  for (const [pattern, build] of PATTERNS) {
    const match = pattern.exec(data);
    if (match) return build(match);
  }
  return null;
}

/** The marker every message about a task carries; replying to such a message targets that task. */
export function taskTag(taskId: string): string {
  return `#${taskId}`;
}

/** The task a message is about, read from its first task tag. */
export function taskIdIn(text: string | undefined): string | null {
  return /(?:^|\s)#([a-z0-9]{8,32})\b/.exec(text ?? '')?.[1] ?? null;
}
