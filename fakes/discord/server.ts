/**
 * A fake of Discord for the bot's two directions. Towards the bot it plays Discord calling the
 * interactions endpoint (interactions.ts: signed with its own Ed25519 key pair, or deliberately not).
 * As the REST API (`apiBase`, a real HTTP port on 127.0.0.1) it records what the bot sends: edits of
 * interaction replies, follow-ups, channel messages, command registrations; it refuses content over 2,000
 * characters and rate-limits each route (headers, then 429), as Discord does.
 */
import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { listen, pathOf, readBody, sendJson } from '../shared/http.js';
import { pollUntil } from '../shared/poll.js';
import { createInteractionClient } from './interactions.js';
import { createSigner } from './signer.js';

export interface FakeDiscordOptions {
  /** Requests allowed per route within `windowMs` before a 429 (5 per second by default). */
  bucketLimit?: number;
  windowMs?: number;
}

export interface StoredMessage {
  id: string;
  /** `original:<token>`, `followup:<token>` or `channel:<id>`. */
  where: string;
  content: string;
  components: { type: number; components: { custom_id?: string; label?: string }[] }[];
  edits: number;
}

export interface RecordedRequest {
  at: number;
  method: string;
  path: string;
  status: number;
  body: unknown;
}

const MAX_CONTENT = 2000;

/** Starts the fake on 127.0.0.1 (any free port) with a fresh key pair and bot token. */
export async function startFakeDiscord(opts: FakeDiscordOptions = {}) {
  const signer = createSigner();
  const appId = '1100000000000000001';
  const botToken = `fake.${randomBytes(12).toString('hex')}`;
  const limit = opts.bucketLimit ?? 5;
  const windowMs = opts.windowMs ?? 1000;
  const requests: RecordedRequest[] = [];
  const messages: StoredMessage[] = [];
  const tokens = new Set<string>();
  const buckets = new Map<string, number[]>();
  let commands: unknown[] = [];
  let nextId = 1_200_000_000_000_000_000n;

  const newMessage = (where: string, body: Record<string, unknown>): StoredMessage => {
    const message: StoredMessage = { id: String(nextId++), where, content: '', components: [], edits: 0 };
    messages.push(message);
    return Object.assign(message, pick(body));
  };

  function route(
    method: string,
    path: string,
    body: Record<string, unknown>,
    auth: boolean,
  ): [number, unknown] {
    const m = (re: RegExp) => re.exec(path);
    const webhook = m(new RegExp(`^/webhooks/${appId}/([^/]+)(/messages/@original)?$`));
    if (webhook) {
      const token = decodeURIComponent(webhook[1]!);
      if (!tokens.has(token)) return [404, { message: 'Unknown Webhook', code: 10015 }];
      if (method === 'PATCH' && webhook[2]) {
        const original =
          messages.find((msg) => msg.where === `original:${token}`) ?? newMessage(`original:${token}`, {});
        Object.assign(original, pick(body));
        original.edits += 1;
        return [200, { id: original.id, content: original.content }];
      }
      if (method === 'POST' && !webhook[2]) return [200, { id: newMessage(`followup:${token}`, body).id }];
    }
    if (!auth) return [401, { message: '401: Unauthorized', code: 0 }];
    const channel = m(/^\/channels\/(\d+)\/messages$/);
    if (channel && method === 'POST')
      return [200, { id: newMessage(`channel:${channel[1]}`, body).id, channel_id: channel[1] }];
    if (method === 'PUT' && path === `/applications/${appId}/commands`) {
      commands = Array.isArray(body) ? body : [];
      return [200, commands];
    }
    return [404, { message: '404: Not Found', code: 0 }];
  }

  /** Discord's checks of a message body: content size and component shapes. */
  function invalid(body: unknown): string | null {
    const b = body as {
      content?: unknown;
      components?: { components?: { label?: string; custom_id?: string }[] }[];
    };
    if (typeof b?.content === 'string' && b.content.length > MAX_CONTENT)
      return `content: Must be ${MAX_CONTENT} or fewer in length.`;
    if ((b?.components?.length ?? 0) > 5) return 'components: Must be 5 or fewer in length.';
    for (const row of b?.components ?? []) {
      if ((row.components?.length ?? 0) > 5) return 'components.components: Must be 5 or fewer in length.';
      for (const c of row.components ?? []) {
        if ((c.label?.length ?? 0) > 80 || (c.custom_id?.length ?? 0) > 100)
          return 'component label or custom_id too long';
      }
    }
    return null;
  }

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const path = pathOf(req).replace(/^\/api\/v10/, '');
    const raw = (await readBody(req)).toString('utf8');
    let body: unknown = undefined;
    const record: RecordedRequest = { at: Date.now(), method: req.method ?? '', path, status: 0, body };
    requests.push(record);
    const answer = (status: number, payload: unknown, headers: Record<string, string> = {}) => {
      record.status = status;
      sendJson(res, status, payload, headers);
    };
    try {
      record.body = body = raw.length ? JSON.parse(raw) : {};
    } catch {
      return answer(400, { message: '400: Bad Request', code: 50109 });
    }
    const bucket = `${req.method} ${path}`;
    const now = Date.now();
    const recent = (buckets.get(bucket) ?? []).filter((t) => now - t < windowMs);
    const resetAfter = recent.length ? (windowMs - (now - recent[0]!)) / 1000 : windowMs / 1000;
    if (recent.length >= limit)
      return answer(
        429,
        { message: 'You are being rate limited.', retry_after: resetAfter, global: false },
        { 'retry-after': String(Math.ceil(resetAfter)) },
      );
    recent.push(now);
    buckets.set(bucket, recent);
    const rateHeaders = {
      'x-ratelimit-limit': String(limit),
      'x-ratelimit-remaining': String(limit - recent.length),
      'x-ratelimit-reset-after': resetAfter.toFixed(3),
      'x-ratelimit-bucket': Buffer.from(bucket).toString('hex').slice(0, 16),
    };
    const problem = invalid(body);
    if (problem)
      return answer(400, { message: 'Invalid Form Body', code: 50035, errors: problem }, rateHeaders);
    const auth = req.headers.authorization === `Bot ${botToken}`;
    const [status, payload] = route(req.method ?? '', path, body as Record<string, unknown>, auth);
    answer(status, payload, rateHeaders);
  }

  const server = await listen(handle);

  const interactions = createInteractionClient({
    appId,
    signer,
    target: () => fake.target,
    onToken: (token) => tokens.add(token),
  });
  const fake = {
    appId,
    botToken,
    publicKeyHex: signer.publicKeyHex,
    apiBase: `${server.url}/api/v10`,
    /** The bot's interactions endpoint (set by the test once the bot listens). */
    target: '',
    requests,
    messages,
    commands: () => commands,

    ...interactions,
    /** The reply to an interaction, as last edited. */
    original: (token: string) => messages.find((m) => m.where === `original:${token}`),
    /** Polls `find` until it returns a value (or fails after `timeoutMs`, naming `what`). */
    waitFor<T>(find: () => T | undefined | null | false, what: string, timeoutMs?: number): Promise<T> {
      return pollUntil('fake Discord', find, what, timeoutMs);
    },
    close: server.close,
  };
  return fake;
}

export type FakeDiscord = Awaited<ReturnType<typeof startFakeDiscord>>;

function pick(body: Record<string, unknown>): Partial<StoredMessage> {
  const out: Partial<StoredMessage> = {};
  if (typeof body.content === 'string') out.content = body.content;
  if (Array.isArray(body.components)) out.components = body.components as StoredMessage['components'];
  return out;
}
