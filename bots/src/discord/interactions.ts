/**
 * The Discord interactions endpoint's logic, independent of the HTTP server that hosts it: verify the
 * signature on the raw body (401 otherwise, before parsing), answer PING with PONG, refuse strangers
 * privately, and answer commands and buttons with a deferred reply within Discord's 3 seconds — the work
 * itself (and its follow-up edits through REST) happens after the HTTP answer.
 */
import type { Access } from '../core/access.js';
import type { Actions } from '../core/actions.js';
import type { Links } from '../core/links.js';
import { decodeAction, encodeAction, type ChatContext, type Reply } from '../core/reply.js';
import { fitHead } from '../core/text.js';
import { DISCORD_LIMIT, messageOf } from './messages.js';
import type { DiscordRest } from './rest.js';
import { commandOf, type InvocationData } from './slash-commands.js';
import type { Verifier } from './verify.js';

/** The raw request as the hosting server received it. */
export interface InteractionRequest {
  rawBody: Buffer;
  headers: Record<string, string | string[] | undefined>;
}

export interface InteractionResponse {
  status: number;
  body: unknown;
}

export interface InteractionDeps {
  verify: Verifier;
  access: Access;
  links: Links;
  actions: Actions;
  rest: DiscordRest;
  /** Servers allowed to use the bot; empty = any. */
  guilds: ReadonlySet<string>;
  /** Shows a reply that asks for a live log by editing the interaction's reply (`token`). */
  followLogs(taskId: string, token: string, chat: ChatContext): void;
  /** Runs work after the HTTP answer (the bot waits for it on close). */
  background(work: () => Promise<void>): void;
}

interface Interaction {
  type: number;
  token: string;
  guild_id?: string;
  channel_id?: string;
  channel?: { id: string };
  member?: { user?: { id: string } };
  user?: { id: string };
  data?: InvocationData & { custom_id?: string; components?: { components?: { value?: string }[] }[] };
  message?: { content?: string };
}

type Handler = (interaction: Interaction, chat: ChatContext) => InteractionResponse;

const PING = 1;
const COMMAND = 2;
const COMPONENT = 3;
const MODAL_SUBMIT = 5;
const EPHEMERAL = 64;

const reply = (type: number, data?: unknown): InteractionResponse => ({
  status: 200,
  body: data === undefined ? { type } : { type, data },
});
const privately = (content: string) =>
  reply(4, { content, flags: EPHEMERAL, allowed_mentions: { parse: [] } });
/** The form a "reply" button opens: one paragraph field for the answer. */
const answerModal = (customId: string) => ({
  custom_id: customId,
  title: 'Answer the agent',
  components: [
    {
      type: 1,
      components: [
        { type: 4, custom_id: 'text', style: 2, label: 'Your answer', required: true, max_length: 4000 },
      ],
    },
  ],
});
const header = (headers: InteractionRequest['headers'], name: string) => {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
};

export function createInteractionHandler(deps: InteractionDeps) {
  /** Edits the message that carried the buttons: the outcome replaces them. */
  const settleButtons = async (token: string, original: string, outcome: Reply): Promise<void> => {
    const content = fitHead(`${original}\n\n${outcome.text}`, DISCORD_LIMIT);
    await deps.rest.editOriginal(token, { content, components: [], allowed_mentions: { parse: [] } });
  };

  /** A slash command: parsed now, run after the deferred answer. */
  const onCommand: Handler = (interaction, chat) => {
    const data = interaction.data ?? { name: '' };
    const parsed = commandOf(data, { linked: deps.links.projectOf('discord', chat.chatId) !== null });
    if (!parsed.ok) return privately(`⚠️ ${parsed.error}`);
    deps.background(async () => {
      const answer = await deps.actions.run(parsed.command, chat);
      if (answer.followLogs) deps.followLogs(answer.followLogs, interaction.token, chat);
      else await deps.rest.editOriginal(interaction.token, messageOf(answer));
    });
    return reply(5);
  };

  /** A button: "reply" opens the answer form, "logs" follows the log, the others act and settle the buttons. */
  const onComponent: Handler = (interaction, chat) => {
    const action = decodeAction(interaction.data?.custom_id ?? '');
    if (!action) return privately('⚠️ Unknown button.');
    if (action.kind === 'reply') return reply(9, answerModal(encodeAction(action)));
    if (action.kind === 'logs') {
      deps.background(async () => deps.followLogs(action.taskId, interaction.token, chat));
      return reply(5);
    }
    deps.background(async () =>
      settleButtons(
        interaction.token,
        interaction.message?.content ?? '',
        await deps.actions.press(action, chat),
      ),
    );
    return reply(6);
  };

  /** The answer form sent: the text answers (or resumes) the task the form was opened for. */
  const onModalSubmit: Handler = (interaction, chat) => {
    const data = interaction.data;
    const action = decodeAction(data?.custom_id ?? '');
    const text = data?.components?.[0]?.components?.[0]?.value?.trim() ?? '';
    if (action?.kind !== 'reply' || !text) return privately('⚠️ Nothing to answer.');
    deps.background(async () =>
      settleButtons(
        interaction.token,
        interaction.message?.content ?? '',
        await deps.actions.replyTo(action.taskId, text, chat, action.requestId),
      ),
    );
    return reply(6);
  };

  const handlers: Record<number, Handler> = {
    [COMMAND]: onCommand,
    [COMPONENT]: onComponent,
    [MODAL_SUBMIT]: onModalSubmit,
  };

  /**
   * Who may go on: a stranger only to pair (with the code), privately refused otherwise; a paired user
   * only in an allowed server. Null: let them through.
   */
  const refusal = (interaction: Interaction, userId: string): InteractionResponse | null => {
    if (!deps.access.isAllowed('discord', userId)) {
      const data = interaction.data ?? { name: '' };
      if (interaction.type === COMMAND && data.name === 'pair') {
        const code = String(data.options?.find((o) => o.name === 'code')?.value ?? '');
        if (deps.access.pair('discord', userId, code))
          return privately('✅ Paired: this Gluon now serves you.');
      }
      return privately('This Gluon does not serve you. Ask its owner for a pairing code (`gluon bot link`).');
    }
    if (interaction.guild_id && deps.guilds.size > 0 && !deps.guilds.has(interaction.guild_id))
      return privately('This Gluon does not serve this server.');
    return null;
  };

  return async function handle(request: InteractionRequest): Promise<InteractionResponse> {
    const verdict = await deps.verify(
      request.rawBody,
      header(request.headers, 'x-signature-ed25519'),
      header(request.headers, 'x-signature-timestamp'),
    );
    if (!verdict.ok)
      return {
        status: 401,
        body: { error: { code: 'invalid_signature', message: `signature ${verdict.reason}` } },
      };
    let interaction: Interaction;
    try {
      interaction = JSON.parse(request.rawBody.toString('utf8')) as Interaction;
    } catch {
      return { status: 400, body: { error: { code: 'invalid_json', message: 'the body is not JSON' } } };
    }
    if (interaction.type === PING) return reply(1);
    const userId = interaction.member?.user?.id ?? interaction.user?.id ?? '';
    const refused = refusal(interaction, userId);
    if (refused) return refused;
    const chat: ChatContext = {
      surface: 'discord',
      chatId: interaction.channel_id ?? interaction.channel?.id ?? '',
      userId,
    };
    const handler = handlers[interaction.type];
    return handler ? handler(interaction, chat) : privately('⚠️ This kind of interaction is not supported.');
  };
}

export type InteractionHandler = ReturnType<typeof createInteractionHandler>;
