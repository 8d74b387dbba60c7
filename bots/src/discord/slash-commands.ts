/**
 * The Discord slash commands: their definitions (registered at start with one bulk PUT) and the mapping
 * of an invocation's options to the same Command union the Telegram text commands parse into.
 */
import { APPROVAL_POLICIES, PROFILES, type ApprovalPolicy, type Profile } from '../../../shared/api.js';
import { COMMAND_HELP, type Command, type Parsed } from '../core/commands.js';

const STRING = 3;
const BOOLEAN = 5;
const NUMBER = 10;

const option = (name: string, description: string, type = STRING, required = false, extra: object = {}) => ({
  type,
  name,
  description,
  required,
  ...extra,
});
const idOption = option('id', 'task id (or its first 4+ characters)', STRING, true);
const choices = (values: readonly string[]) => ({ choices: values.map((v) => ({ name: v, value: v })) });

const OPTIONS: Record<string, object[]> = {
  new: [
    option('prompt', 'what the agent should do', STRING, true),
    option('project', "the project (default: this channel's linked project)"),
    option('profile', 'quick, standard, deep or planning', STRING, false, choices(PROFILES)),
    option('ralph', 'run as an autonomous loop', BOOLEAN),
    option('max_cost', 'cost cap in USD', NUMBER, false, { min_value: 0.01 }),
    option('approval', 'which tool calls wait for approval', STRING, false, choices(APPROVAL_POLICIES)),
  ],
  status: [idOption],
  logs: [idOption],
  approve: [idOption],
  cancel: [idOption],
  deny: [idOption, option('reason', 'why (the agent is told)')],
  resume: [idOption, option('feedback', 'what to do next', STRING, true)],
  answer: [idOption, option('text', 'your answer', STRING, true)],
  link: [option('project', 'the project to link this channel to')],
};

/** The definitions to register (application commands of type CHAT_INPUT). */
export const SLASH_COMMANDS = [
  ...COMMAND_HELP.map(([name, , description]) => ({
    name,
    description,
    type: 1,
    options: OPTIONS[name] ?? [],
  })),
  {
    name: 'pair',
    description: 'pair with this Gluon using a code from `gluon bot link`',
    type: 1,
    options: [option('code', 'the pairing code', STRING, true)],
  },
];

export interface InvocationData {
  name: string;
  options?: { name: string; value?: unknown }[];
}

const ID = /^#?([a-z0-9]{4,32})$/;

/**
 * Maps a slash-command invocation to a Command.
 * Rules: ids are validated as in text commands; `/new` without `project` uses the channel's link (and is
 * refused when there is none); enum options are checked again (Discord enforces choices, a forger would not).
 */
export function commandOf(data: InvocationData, chat: { linked: boolean }): Parsed {
  const values = new Map((data.options ?? []).map((o) => [o.name, o.value]));
  const text = (name: string) =>
    typeof values.get(name) === 'string' ? (values.get(name) as string).trim() : '';
  const id = ID.exec(text('id').toLowerCase())?.[1];
  const needId = (build: (id: string) => Command): Parsed =>
    id ? { ok: true, command: build(id) } : { ok: false, error: 'give a task id (4+ characters of a-z0-9)' };
  const ok = (command: Command): Parsed => ({ ok: true, command });
  switch (data.name) {
    case 'help':
    case 'board':
    case 'tasks':
    case 'cost':
    case 'unlink':
      return ok({ kind: data.name });
    case 'new': {
      const project = text('project') || null;
      if (!project && !chat.linked)
        return { ok: false, error: 'this channel is not linked: give `project`, or /link a project here' };
      if (!text('prompt')) return { ok: false, error: 'the prompt is missing' };
      const profile = text('profile');
      const approval = text('approval');
      if (profile && !PROFILES.includes(profile as Profile))
        return { ok: false, error: `profile is one of ${PROFILES.join(', ')}` };
      if (approval && !APPROVAL_POLICIES.includes(approval as ApprovalPolicy))
        return { ok: false, error: `approval is one of ${APPROVAL_POLICIES.join(', ')}` };
      const maxCost = values.get('max_cost');
      return ok({
        kind: 'new',
        project,
        prompt: text('prompt'),
        ...(profile ? { profile: profile as Profile } : {}),
        ...(approval ? { approval: approval as ApprovalPolicy } : {}),
        ...(values.get('ralph') === true ? { ralph: true } : {}),
        ...(typeof maxCost === 'number' && maxCost > 0 ? { maxCostUsd: maxCost } : {}),
      });
    }
    case 'status':
    case 'logs':
    case 'approve':
    case 'cancel':
      return needId((id) => ({ kind: data.name as 'status' | 'logs' | 'approve' | 'cancel', id }));
    case 'deny':
      return needId((id) => ({ kind: 'deny', id, ...(text('reason') ? { reason: text('reason') } : {}) }));
    case 'resume':
      return text('feedback')
        ? needId((id) => ({ kind: 'resume', id, text: text('feedback') }))
        : { ok: false, error: 'the feedback is missing' };
    case 'answer':
      return text('text')
        ? needId((id) => ({ kind: 'answer', id, text: text('text') }))
        : { ok: false, error: 'the answer is missing' };
    case 'link':
      return ok({ kind: 'link', project: text('project') || null });
    case 'pair':
      return ok({ kind: 'pair', code: text('code') });
    default:
      return { ok: false, error: `unknown command /${data.name}` };
  }
}
