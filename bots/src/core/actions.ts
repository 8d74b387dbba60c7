/**
 * What the chat commands and buttons do, surface-neutral: each call talks to the Gluon API through the
 * shared client and answers with a Reply. Expected failures (unknown task, nothing to approve…) become a
 * short "⚠️" reply; a surface never sees an exception from here.
 */
import type { TaskDto } from '../../../shared/api.js';
import { ApiError, type GluonClient } from '../../../shared/client.js';
import type { Access } from './access.js';
import { COMMAND_HELP, type Command } from './commands.js';
import type { Links } from './links.js';
import { optionLabel, renderBoard, renderCost, renderStatus, renderTaskList, taskLink } from './render.js';
import { taskTag, type ButtonAction, type ChatContext, type Reply } from './reply.js';
import { oneLine, truncate } from '../../../shared/text.js';

export interface ActionsDeps {
  client: GluonClient;
  /**
   * The client that acts for the person in a chat (it names their chat account, so that once Gluon has
   * users the server applies the role of the user linked to it); `client` when not given.
   */
  clientFor?: (chat: ChatContext) => GluonClient;
  links: Links;
  access: Access;
  publicUrl: string;
  /** A chat started this task (the notifier then skips the escalation delay there). */
  onTaskCreated?: (surface: ChatContext['surface'], taskId: string) => Promise<void> | void;
  log: (message: string, error?: unknown) => void;
}

export interface Actions {
  run(command: Command, chat: ChatContext): Promise<Reply>;
  press(action: ButtonAction, chat: ChatContext): Promise<Reply>;
  /**
   * A reply to one of the bot's messages about `taskId`: answers its question, or resumes it. With
   * `requestId`, only while the task still waits on that very request.
   */
  replyTo(taskId: string, text: string, chat: ChatContext, requestId?: string): Promise<Reply>;
}

const HELP_TEXT = [
  'Gluon commands:',
  ...COMMAND_HELP.map(([n, u, d]) => `/${n}${u ? ` ${u}` : ''} — ${d}`),
].join('\n');

/** The commands that act on one task by id. */
type TaskCommand = Extract<Command, { kind: 'resume' | 'answer' | 'approve' | 'deny' | 'cancel' }>;

/** How each is reported: "<icon> <verb> #id · now <status>". */
const ACTED: Record<TaskCommand['kind'], [icon: string, verb: string]> = {
  resume: ['▶️', 'Resumed'],
  answer: ['✍️', 'Answered'],
  approve: ['✅', 'Approved'],
  deny: ['⛔', 'Denied'],
  cancel: ['🚫', 'Cancelled'],
};

function acted(kind: TaskCommand['kind'], task: TaskDto): Reply {
  const [icon, verb] = ACTED[kind];
  return { text: `${icon} ${verb} ${taskTag(task.id)} · now ${task.status}` };
}

/** The API call behind a task command; it answers with the task as it is now. */
function actOn(client: GluonClient, command: TaskCommand): Promise<TaskDto> {
  switch (command.kind) {
    case 'resume':
      return client.resume(command.id, command.text);
    case 'answer':
      return client.answer(command.id, command.text);
    case 'approve':
      return client.approve(command.id);
    case 'deny':
      return client.deny(command.id, command.reason);
    case 'cancel':
      return client.cancel(command.id);
  }
}

export function createActions(deps: ActionsDeps): Actions {
  const as = (chat: ChatContext) => deps.clientFor?.(chat) ?? deps.client;
  const guard = async (work: () => Promise<Reply>): Promise<Reply> => {
    try {
      return await work();
    } catch (error) {
      if (error instanceof ApiError) return { text: `⚠️ ${error.message}` };
      deps.log('a bot action failed', error);
      return { text: '⚠️ Something went wrong; the server log has the details.' };
    }
  };

  async function run(command: Command, chat: ChatContext): Promise<Reply> {
    const client = as(chat);
    switch (command.kind) {
      case 'help':
        return { text: HELP_TEXT };
      case 'board':
        return { text: renderBoard(await client.listTasks()) };
      case 'tasks':
        return { text: renderTaskList(await client.listTasks()) };
      case 'new':
        return start(command, chat);
      case 'status':
        return renderStatus(await client.getTask(command.id), deps.publicUrl);
      case 'logs':
        return { text: '', followLogs: (await client.getTask(command.id)).id };
      case 'resume':
      case 'answer':
      case 'approve':
      case 'deny':
      case 'cancel':
        return acted(command.kind, await actOn(client, command));
      case 'cost':
        return { text: renderCost(await client.costs()) };
      case 'link':
        return link(command.project, chat);
      case 'unlink':
        deps.links.set(chat.surface, chat.chatId, null);
        return { text: '🔗 This chat is no longer linked to a project.' };
      case 'pair':
        return {
          text: deps.access.isAllowed(chat.surface, chat.userId)
            ? 'You are already paired.'
            : '⚠️ That code is not valid.',
        };
    }
  }

  /** `/new`: a task in the given project, or the one this chat is linked to. */
  async function start(command: Extract<Command, { kind: 'new' }>, chat: ChatContext): Promise<Reply> {
    const project = command.project ?? deps.links.projectOf(chat.surface, chat.chatId);
    if (!project)
      return {
        text: '⚠️ This chat is not linked to a project: /new <project> <prompt>, or /link <project> first.',
      };
    const task = await as(chat).createTask({
      project,
      prompt: command.prompt,
      ...(command.profile ? { profile: command.profile } : {}),
      ...(command.ralph ? { ralph: true } : {}),
      ...(command.maxCostUsd !== undefined ? { maxCostUsd: command.maxCostUsd } : {}),
      ...(command.approval ? { approval: command.approval } : {}),
    });
    await deps.onTaskCreated?.(chat.surface, task.id);
    const details = [task.project, task.profile, `approval ${task.approval}`];
    if (command.ralph) details.push('Ralph loop');
    if (task.maxCostUsd !== null) details.push(`cap $${task.maxCostUsd}`);
    return {
      text: [
        `🚀 Started ${taskTag(task.id)} ${truncate(oneLine(task.title), 120)}`,
        details.join(' · '),
        taskLink(deps.publicUrl, task.id),
      ].join('\n'),
      buttons: [[{ label: '📜 Logs', action: { kind: 'logs', taskId: task.id } }]],
    };
  }

  async function link(project: string | null, chat: ChatContext): Promise<Reply> {
    const client = as(chat);
    if (project === null) {
      const linked = deps.links.projectOf(chat.surface, chat.chatId);
      return {
        text: linked ? `🔗 This chat is linked to ${linked}.` : 'This chat is not linked: /link <project>.',
      };
    }
    const projects = await client.listProjects();
    const found = projects.find((p) => p.name === project || p.id === project);
    if (!found)
      return {
        text: `⚠️ No project ${project}. Projects: ${projects.map((p) => p.name).join(', ') || 'none'}`,
      };
    deps.links.set(chat.surface, chat.chatId, found.name);
    return {
      text: `🔗 This chat is linked to ${found.name}: /new <prompt> starts a task there, and its notifications come here.`,
    };
  }

  /**
   * A button press.
   * Rules: approve/deny/answer act only while the task still waits on the very request the button was
   * made for (a stale button says so and does nothing); an answer button sends its option's label.
   */
  async function press(action: ButtonAction, chat: ChatContext): Promise<Reply> {
    const client = as(chat);
    if (action.kind === 'logs') return { text: '', followLogs: action.taskId };
    const task = await client.getTask(action.taskId);
    if (task.pendingInput?.requestId !== action.requestId)
      return { text: `ℹ️ ${taskTag(task.id)} no longer waits for that (it is ${task.status}).` };
    const who = `by ${chat.surface} user ${chat.userId}`;
    switch (action.kind) {
      case 'approve':
        await client.approve(task.id);
        return { text: `✅ Approved ${who} — ${taskTag(task.id)}` };
      case 'deny':
        await client.deny(task.id, `denied from ${chat.surface}`);
        return { text: `⛔ Denied ${who} — ${taskTag(task.id)}` };
      case 'answer': {
        const label = optionLabel(task.pendingInput, action.option);
        if (label === null) return { text: '⚠️ That option no longer exists.' };
        await client.answer(task.id, label);
        return { text: `✍️ Answered “${label}” ${who} — ${taskTag(task.id)}` };
      }
      case 'reply':
        return { text: `✍️ Reply to this message with your answer — ${taskTag(task.id)}` };
    }
  }

  async function replyTo(
    taskId: string,
    text: string,
    chat: ChatContext,
    requestId?: string,
  ): Promise<Reply> {
    const client = as(chat);
    const task = await client.getTask(taskId);
    if (requestId !== undefined && task.pendingInput?.requestId !== requestId)
      return { text: `ℹ️ ${taskTag(task.id)} no longer waits for that (it is ${task.status}).` };
    if (task.pendingInput?.kind === 'question') {
      return acted('answer', await client.answer(task.id, text));
    }
    if (task.pendingInput?.kind === 'approval')
      return { text: `ℹ️ ${taskTag(task.id)} waits for an approval: use its buttons, /approve or /deny.` };
    if (task.status === 'queued' || task.status === 'running')
      return { text: `ℹ️ ${taskTag(task.id)} is ${task.status}; reply once it stops, or /cancel it.` };
    return acted('resume', await client.resume(task.id, text));
  }

  return {
    run: (command, chat) => guard(() => run(command, chat)),
    press: (action, chat) => guard(() => press(action, chat)),
    replyTo: (taskId, text, chat, requestId) => guard(() => replyTo(taskId, text, chat, requestId)),
  };
}
