/**
 * Replies as Discord messages: content fitted to 2,000 characters, mentions disabled (agent text must not
 * ping @everyone), buttons as action rows (at most 5 rows of 5), and the live-log view that edits the
 * interaction's reply.
 */
import type { LogView } from '../core/live-log.js';
import { encodeAction, type Reply } from '../core/reply.js';
import { truncate } from '../../../shared/text.js';
import { fitHead } from '../core/text.js';
import type { DiscordMessage, DiscordRest } from './rest.js';

/** Discord's limit on a message's content. */
export const DISCORD_LIMIT = 2000;

const STYLES = { primary: 1, secondary: 2, success: 3, danger: 4 } as const;
const NO_MENTIONS = { parse: [] as string[] };

/** The message of a reply. */
export function messageOf(reply: Reply): DiscordMessage {
  const rows = (reply.buttons ?? []).slice(0, 5).map((row) => ({
    type: 1,
    components: row.slice(0, 5).map((button) => ({
      type: 2,
      style: STYLES[button.style ?? 'primary'],
      label: truncate(button.label, 80),
      custom_id: encodeAction(button.action),
    })),
  }));
  return { content: fitHead(reply.text, DISCORD_LIMIT), components: rows, allowed_mentions: NO_MENTIONS };
}

/** A live log shown by editing an interaction's reply. */
export function interactionLogView(rest: DiscordRest, token: string): LogView {
  return {
    async show(text) {
      await rest.editOriginal(token, { content: text, components: [], allowed_mentions: NO_MENTIONS });
    },
  };
}
