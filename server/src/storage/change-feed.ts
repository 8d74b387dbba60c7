/**
 * How processes sharing one Postgres database hear of each other's writes: LISTEN/NOTIFY on a few
 * channels, carrying ids only (a NOTIFY payload is limited to 8,000 bytes; the rows are read from the
 * database). A notification is sent after the write it announces has committed, so a listener that reads
 * on hearing it always finds the row.
 *
 * One dedicated connection listens; when it drops (a Postgres restart, a network cut) it reconnects with
 * backoff, and `onReconnect` listeners catch up on what they may have missed meanwhile. A single-process
 * installation (SQLite) has nobody to tell: its feed is local and delivers nothing remote.
 */
import { sql } from 'kysely';
import pg from 'pg';
import type { Db } from './db.js';
import { dialectOf } from './dialect.js';
import { LOCAL_FEED } from './local-feed.js';

export const CHANNELS = ['gluon_events', 'gluon_tasks', 'gluon_commands', 'gluon_dispatch'] as const;
export type Channel = (typeof CHANNELS)[number];

export interface ChangeFeed {
  /** Whether other processes may write to this database (Postgres): there is someone to tell. */
  readonly shared: boolean;
  /** Resolves once the feed listens (or has given its first try up and retries in the background). */
  ready(): Promise<void>;
  /** Announces `payload` (an id, or a few ids) on `channel` to every other listening process. */
  notify(channel: Channel, payload: string): Promise<void>;
  /** Calls `handler` with every payload announced on `channel` by any process. */
  listen(channel: Channel, handler: (payload: string) => void): () => void;
  /** Called after the listening connection came back: catch up on what may have been missed. */
  onReconnect(handler: () => void): () => void;
  close(): Promise<void>;
}

type Log = (msg: string, err?: unknown) => void;

/**
 * The feed of a database: LISTEN/NOTIFY on Postgres (`url` is its location), nothing on SQLite. It
 * connects on first use.
 */
export function createChangeFeed(db: Db, url: string, log: Log): ChangeFeed {
  if (dialectOf(db) !== 'postgres') return LOCAL_FEED;
  return postgresFeed(db, url, log);
}

function postgresFeed(db: Db, url: string, log: Log): ChangeFeed {
  const handlers = new Map<Channel, Set<(payload: string) => void>>(CHANNELS.map((c) => [c, new Set()]));
  const reconnects = new Set<() => void>();
  let client: pg.Client | null = null;
  let closed = false;
  let attempt = 0;
  let retry: NodeJS.Timeout | null = null;

  async function connect(): Promise<void> {
    const c = new pg.Client({ connectionString: url, application_name: 'gluon-listen' });
    c.on('notification', (n) => {
      if (n.payload === undefined) return;
      for (const h of handlers.get(n.channel as Channel) ?? []) h(n.payload);
    });
    c.on('error', (err) => log('the change feed lost its connection', err));
    c.on('end', () => {
      if (client === c) client = null;
      if (!closed) schedule();
    });
    await c.connect();
    for (const channel of CHANNELS) await c.query(`LISTEN ${channel}`);
    client = c;
    if (attempt > 0) for (const h of reconnects) h();
    attempt = 0;
  }

  function schedule(): void {
    if (retry || closed) return;
    const delay = Math.min(5000, 100 * 2 ** attempt++);
    retry = setTimeout(() => {
      retry = null;
      connect().catch((err) => {
        log('the change feed could not reconnect (retrying)', err);
        schedule();
      });
    }, delay);
  }

  // Connected on first use: a process that only writes (a CLI command) never holds a listening connection.
  let started: Promise<void> | null = null;
  const ready = () =>
    (started ??= connect().catch((err) => {
      log('the change feed could not connect (retrying)', err);
      attempt = 1;
      schedule();
    }));

  return {
    shared: true,
    ready,
    async notify(channel, payload) {
      await sql`select pg_notify(${channel}, ${payload})`.execute(db);
    },
    listen(channel, handler) {
      handlers.get(channel)!.add(handler);
      ready().catch((err) => log('the change feed could not connect', err));
      return () => handlers.get(channel)!.delete(handler);
    },
    onReconnect(handler) {
      reconnects.add(handler);
      return () => reconnects.delete(handler);
    },
    async close() {
      closed = true;
      if (retry) clearTimeout(retry);
      if (started) await started;
      await client?.end().catch(() => undefined);
    },
  };
}
