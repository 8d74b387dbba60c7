/**
 * The pieces of the live protocol below the connection: the socket it drives (the browser's `WebSocket`
 * or an adapter over `ws`), its errors and which of them are final, the endpoint's URL, and reading a
 * server message.
 */
import type { WsServerMessage } from './api.js';

/** The part of a WebSocket the protocol uses (the browser's fits as it is). */
export interface SocketLike {
  readonly readyState: number;
  send(data: string): void;
  /** With a code: a clean goodbye. Without: the connection is dead, drop it. */
  close(code?: number): void;
  onopen: ((ev: unknown) => void) | null;
  /** `refusedStatus`: the HTTP status that refused the upgrade, where the platform can tell (Node). */
  onclose: ((ev: { refusedStatus?: number }) => void) | null;
  onmessage: ((ev: { data: unknown }) => void) | null;
  onerror: ((ev: unknown) => void) | null;
}

/** A problem on the stream. `fatal` ones end the connection (or, from the server, the subscription). */
export class SubscriptionError extends Error {
  override readonly name = 'SubscriptionError';
  constructor(
    readonly code: string,
    message: string,
    readonly fatal: boolean,
  ) {
    super(message);
  }
}

export interface Timers {
  set(fn: () => void, ms: number): unknown;
  clear(handle: unknown): void;
}

/** HTTP answers to the upgrade request after which retrying cannot help. */
export const FATAL_UPGRADE_STATUSES = new Set([400, 401, 403, 404]);
/** Server error codes after which retrying the same subscription cannot help. */
export const FATAL_CODES = new Set(['unauthorized', 'forbidden', 'not_found', 'invalid_input']);

/** `http(s)://host[:port][/base]` → `ws(s)://host[:port][/base]/api/ws`. */
export function toWsUrl(baseUrl: string): string {
  const url = new URL(baseUrl);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  url.pathname = `${url.pathname.replace(/\/+$/, '')}/api/ws`;
  url.search = '';
  url.hash = '';
  return url.toString();
}

/** A server message, or null for anything that is not one. */
export function parseServerMessage(data: unknown): WsServerMessage | null {
  if (typeof data !== 'string') return null;
  try {
    const value: unknown = JSON.parse(data);
    return value && typeof value === 'object' && 'type' in value ? (value as WsServerMessage) : null;
  } catch {
    return null;
  }
}
