/**
 * The chat commands, parsed from the text after `/name` into one surface-neutral union. Telegram feeds
 * message text here; Discord builds the same union from slash-command options.
 */
import { APPROVAL_POLICIES, PROFILES, type ApprovalPolicy, type Profile } from '../../../shared/api.js';
import { looksLikePairingCode } from './pairing.js';

export interface NewTask {
  /** Null: the chat's linked project. */
  project: string | null;
  prompt: string;
  profile?: Profile;
  ralph?: boolean;
  maxCostUsd?: number;
  approval?: ApprovalPolicy;
}

export type Command =
  | { kind: 'help' }
  | { kind: 'board' }
  | { kind: 'tasks' }
  | ({ kind: 'new' } & NewTask)
  | { kind: 'status'; id: string }
  | { kind: 'logs'; id: string }
  | { kind: 'resume'; id: string; text: string }
  | { kind: 'answer'; id: string; text: string }
  | { kind: 'approve'; id: string }
  | { kind: 'deny'; id: string; reason?: string }
  | { kind: 'cancel'; id: string }
  | { kind: 'cost' }
  /** Links the chat to a project (null: show the link). */
  | { kind: 'link'; project: string | null }
  | { kind: 'unlink' }
  | { kind: 'pair'; code: string };

export type Parsed = { ok: true; command: Command } | { ok: false; error: string };

/** One line per command, for /help and for Telegram's command menu. */
export const COMMAND_HELP: [name: string, usage: string, description: string][] = [
  ['board', '', 'counts per column and the tasks that need you'],
  ['tasks', '', 'the latest tasks'],
  ['new', '<project> <prompt> [--profile P] [--ralph] [--max-cost USD] [--approval A]', 'start a task'],
  ['status', '<id>', 'one task in detail'],
  ['logs', '<id>', 'the recent log, then live updates'],
  ['resume', '<id> <feedback>', 'resume a task with feedback'],
  ['answer', '<id> <text>', "answer the agent's question"],
  ['approve', '<id>', 'approve the pending tool call'],
  ['deny', '<id> [reason]', 'deny the pending tool call'],
  ['cancel', '<id>', 'cancel a task'],
  ['cost', '', 'what the agents cost'],
  ['link', '[project]', 'link this chat to a project (then /new needs no project)'],
  ['unlink', '', 'remove the link of this chat'],
  ['help', '', 'this list'],
];

const ID = /^#?([a-z0-9]{4,32})$/;
const VALUE_FLAGS = new Set(['profile', 'max-cost', 'approval', 'project']);
const SWITCH_FLAGS = new Set(['ralph']);

/**
 * Parses `/name args`.
 * Rules: names are case-insensitive; ids are 4+ characters of a-z0-9 (a leading # is fine); `/new` takes
 * the project as its first word unless `--project` is given or the chat is linked to one; unknown names
 * are an error that lists /help.
 */
export function parseCommand(name: string, args: string, chat: { linked: boolean }): Parsed {
  const words = args.trim().split(/\s+/).filter(Boolean);
  const rest = (n: number) => restAfterWords(args, n);
  const withId = (build: (id: string) => Command, usage: string): Parsed => {
    const id = ID.exec((words[0] ?? '').toLowerCase())?.[1];
    return id ? ok(build(id)) : fail(`usage: /${name} ${usage}`);
  };
  switch (name.toLowerCase()) {
    case 'start':
      return words.length === 1 && looksLikePairingCode(words[0]!)
        ? ok({ kind: 'pair', code: words[0]! })
        : help();
    case 'help':
      return help();
    case 'board':
      return ok({ kind: 'board' });
    case 'tasks':
      return ok({ kind: 'tasks' });
    case 'cost':
      return ok({ kind: 'cost' });
    case 'new':
      return parseNew(args, chat.linked);
    case 'status':
      return withId((id) => ({ kind: 'status', id }), '<id>');
    case 'logs':
      return withId((id) => ({ kind: 'logs', id }), '<id>');
    case 'approve':
      return withId((id) => ({ kind: 'approve', id }), '<id>');
    case 'cancel':
      return withId((id) => ({ kind: 'cancel', id }), '<id>');
    case 'deny':
      return withId((id) => ({ kind: 'deny', id, ...(rest(1) ? { reason: rest(1) } : {}) }), '<id> [reason]');
    case 'resume':
    case 'answer': {
      const kind = name.toLowerCase() as 'resume' | 'answer';
      const usage = kind === 'resume' ? '<id> <feedback>' : '<id> <text>';
      if (!rest(1)) return fail(`usage: /${kind} ${usage}`);
      return withId((id) => ({ kind, id, text: rest(1) }), usage);
    }
    case 'link':
      return ok({ kind: 'link', project: words[0] ?? null });
    case 'unlink':
      return ok({ kind: 'unlink' });
    case 'pair':
      return words[0] ? ok({ kind: 'pair', code: words[0] }) : fail('usage: /pair <code>');
    default:
      return fail(`unknown command /${name}; send /help for the list`);
  }
}

/**
 * `/new [project] <prompt> [flags]`.
 * Rules: flags (`--profile P`, `--profile=P`, `--ralph`, `--max-cost USD`, `--approval A`,
 * `--project N`) are whole words anywhere; a lone `--` ends them (the rest is prompt, verbatim); the
 * prompt keeps its line breaks.
 */
function parseNew(args: string, linked: boolean): Parsed {
  const { flags, text } = extractFlags(args);
  let project = typeof flags.get('project') === 'string' ? (flags.get('project') as string) : null;
  let prompt = text;
  if (!project && !linked) {
    const first = /^\S+/.exec(prompt)?.[0];
    if (!first) return fail('usage: /new <project> <prompt>');
    project = first;
    prompt = prompt.slice(first.length).trim();
  }
  if (!prompt) return fail('usage: /new <project> <prompt> — the prompt is missing');
  const command: Command = { kind: 'new', project, prompt };
  const profile = flags.get('profile');
  if (profile !== undefined) {
    if (!PROFILES.includes(profile as Profile)) return fail(`--profile is one of ${PROFILES.join(', ')}`);
    command.profile = profile as Profile;
  }
  const approval = flags.get('approval');
  if (approval !== undefined) {
    if (!APPROVAL_POLICIES.includes(approval as ApprovalPolicy))
      return fail(`--approval is one of ${APPROVAL_POLICIES.join(', ')}`);
    command.approval = approval as ApprovalPolicy;
  }
  const maxCost = flags.get('max-cost');
  if (maxCost !== undefined) {
    const value = Number(maxCost);
    if (!Number.isFinite(value) || value <= 0) return fail('--max-cost is an amount in USD, e.g. 2.5');
    command.maxCostUsd = value;
  }
  if (flags.has('ralph')) command.ralph = true;
  return ok(command);
}

function extractFlags(args: string): { flags: Map<string, string | true>; text: string } {
  const flags = new Map<string, string | true>();
  const tokens = [...args.matchAll(/\S+/g)];
  const keep: string[] = [];
  let from = 0;
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    const start = token.index;
    if (token[0] === '--') {
      keep.push(args.slice(from, start), args.slice(start + 2).replace(/^[ \t]/, ''));
      from = args.length;
      break;
    }
    const flag = /^--([a-z-]+)(?:=(.*))?$/.exec(token[0]);
    const name = flag?.[1] ?? '';
    if (!flag || (!VALUE_FLAGS.has(name) && !SWITCH_FLAGS.has(name))) continue;
    let end = start + token[0].length;
    if (SWITCH_FLAGS.has(name)) flags.set(name, true);
    else if (flag[2] !== undefined) flags.set(name, flag[2]);
    else {
      const value = tokens[i + 1];
      flags.set(name, value?.[0] ?? '');
      if (value) end = value.index + value[0].length;
      i += 1;
    }
    keep.push(args.slice(from, start));
    from = end;
  }
  keep.push(args.slice(from));
  // Join the pieces around removed flags with one space, leaving the prompt's own spacing alone.
  const text = keep.reduce((joined, piece) =>
    joined && piece.trim()
      ? `${joined.replace(/[ \t]+$/, '')} ${piece.replace(/^[ \t]+/, '')}`
      : joined + piece,
  );
  return { flags, text: text.trim() };
}

/** The text after the first `n` words, with its own spacing and line breaks. */
function restAfterWords(args: string, n: number): string {
  let text = args.trimStart();
  for (let i = 0; i < n; i++) text = text.replace(/^\S+\s*/, '');
  return text.trim();
}

const ok = (command: Command): Parsed => ({ ok: true, command });
const fail = (error: string): Parsed => ({ ok: false, error });
const help = (): Parsed => ok({ kind: 'help' });
