/**
 * The fake Discord's side that calls the bot: it builds interactions (slash commands, button presses,
 * form submissions) as Discord does, signs them with the application's key — or deliberately not, or
 * badly, or with an old timestamp — and posts them to the bot's interactions endpoint.
 */
import { randomBytes } from 'node:crypto';
import type { Signer } from './signer.js';

export interface InteractionOptions {
  user?: string;
  channel?: string;
  /** Omit for a DM. */
  guild?: string;
  /** `valid` (default), `none` (no signature headers), `invalid` (a wrong signature). */
  signature?: 'valid' | 'none' | 'invalid';
  /** Unix seconds to sign with (default: now). */
  timestamp?: number;
}

/** A message the bot sent, as far as an interaction on it needs. */
export interface MessageRef {
  id: string;
  content: string;
  components: unknown[];
}

export interface InteractionAnswer {
  status: number;
  body: Record<string, unknown> | null;
  /** The interaction's token: the bot's REST edits of its reply are recorded under it. */
  token: string;
}

export function createInteractionClient(opts: {
  appId: string;
  signer: Signer;
  target: () => string;
  onToken: (token: string) => void;
}) {
  let nextId = 1_300_000_000_000_000_000n;

  /** Posts an interaction (signed as asked) to the target; resolves with the bot's HTTP answer. */
  async function interact(
    payload: Record<string, unknown>,
    o: InteractionOptions = {},
  ): Promise<InteractionAnswer> {
    const token = `itoken-${randomBytes(16).toString('hex')}`;
    opts.onToken(token);
    const user = { id: o.user ?? '0', username: `user${o.user ?? 0}` };
    const body = JSON.stringify({
      id: String(nextId++),
      application_id: opts.appId,
      token,
      version: 1,
      channel_id: o.channel,
      ...(o.guild ? { guild_id: o.guild, member: { user } } : { user }),
      ...payload,
    });
    const timestamp = String(o.timestamp ?? Math.floor(Date.now() / 1000));
    const signature = o.signature ?? 'valid';
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (signature !== 'none') {
      headers['x-signature-timestamp'] = timestamp;
      // A wrong signature: a valid one of other bytes.
      headers['x-signature-ed25519'] = opts.signer.sign(signature === 'valid' ? body : `${body} `, timestamp);
    }
    const response = await fetch(opts.target(), { method: 'POST', headers, body });
    const text = await response.text();
    return {
      status: response.status,
      body: text ? (JSON.parse(text) as Record<string, unknown>) : null,
      token,
    };
  }

  const onMessage = (message: MessageRef) => ({
    message: { id: message.id, content: message.content, components: message.components },
  });

  return {
    interact,
    /** Invokes a slash command with options. */
    command(name: string, options: Record<string, unknown>, o: InteractionOptions = {}) {
      const list = Object.entries(options).map(([n, value]) => ({ name: n, value }));
      return interact({ type: 2, data: { id: '1', name, type: 1, options: list } }, o);
    },
    /** Presses a button of a message. */
    press(message: MessageRef, customId: string, o: InteractionOptions = {}) {
      return interact(
        { type: 3, ...onMessage(message), data: { custom_id: customId, component_type: 2 } },
        o,
      );
    },
    /** Submits a form (modal) opened from a message, with a single text field. */
    submit(message: MessageRef, customId: string, text: string, o: InteractionOptions = {}) {
      const field = { type: 4, custom_id: 'text', value: text };
      return interact(
        {
          type: 5,
          ...onMessage(message),
          data: { custom_id: customId, components: [{ type: 1, components: [field] }] },
        },
        o,
      );
    },
  };
}
