/**
 * A worker's heartbeat line on a real Postgres, reached through a loopback relay the test can freeze (what
 * a cut network does to an open connection: nothing comes back, nothing fails). A heartbeat records the
 * worker and says when it was declared lost; one that gets no answer fails within the line's timeout and
 * leaves its connection, and the next heartbeat answers over a fresh one.
 */
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openHeartbeatLine, type HeartbeatLine } from './heartbeat-line.js';
import { openStorage, type Storage } from './index.js';
import { createPostgresDatabase, type TestDatabase } from './testing/databases.js';

/** A TCP relay to Postgres; `freeze` stops passing anything on the connections open now. */
async function relayTo(host: string, port: number) {
  const open: Array<{ client: net.Socket; upstream: net.Socket }> = [];
  let accepted = 0;
  const server = net.createServer((client) => {
    accepted++;
    const upstream = net.connect(port, host);
    client.pipe(upstream).pipe(client);
    client.on('error', () => upstream.destroy());
    upstream.on('error', () => client.destroy());
    open.push({ client, upstream });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    accepted: () => accepted,
    freeze() {
      for (const { client, upstream } of open.splice(0)) {
        client.unpipe(upstream);
        upstream.unpipe(client);
        client.pause();
        upstream.pause();
      }
    },
    close() {
      for (const { client, upstream } of open) [client, upstream].forEach((s) => s.destroy());
      server.close();
    },
  };
}

describe('a worker’s heartbeat line (Postgres)', () => {
  let db: TestDatabase;
  let storage: Storage;
  let relay: Awaited<ReturnType<typeof relayTo>>;
  let line: HeartbeatLine;
  /** Worker `w1`, (re)registered at `at`. */
  const register = (at: string) =>
    storage.workers.register({
      name: 'w1',
      host: 'here',
      pid: 1,
      capacity: 1,
      projects: null,
      startedAt: at,
      heartbeatAt: at,
    });
  const heartbeatAt = async (name: string) =>
    (await storage.workers.list()).find((w) => w.name === name)?.heartbeatAt;

  beforeAll(async () => {
    db = await createPostgresDatabase('heartbeat_line');
    storage = await openStorage(db.location);
    const url = new URL(db.location);
    relay = await relayTo(url.hostname, Number(url.port));
    url.port = String(relay.port);
    line = openHeartbeatLine(storage.db, url.toString(), { timeoutMs: 500, log: () => {} });
    await register('2026-12-06T00:00:00.000Z');
  }, 60_000);
  afterAll(async () => {
    await line?.close();
    relay?.close();
    await storage?.close();
    await db?.drop();
  });

  it('records the heartbeat, and says when the worker was declared lost', async () => {
    expect(await line.heartbeat('w1', '2026-12-06T00:00:01.000Z')).toBe(true);
    expect(await heartbeatAt('w1')).toBe('2026-12-06T00:00:01.000Z');
    expect(await storage.workers.declareLost('2026-12-06T00:00:02.000Z', '2026-12-06T00:00:03.000Z')).toEqual(
      ['w1'],
    );
    expect(await line.heartbeat('w1', '2026-12-06T00:00:04.000Z')).toBe(false);
    expect(await heartbeatAt('w1')).toBe('2026-12-06T00:00:01.000Z');
  });

  it('a heartbeat on a frozen connection fails within its timeout; the next one answers on a fresh one', async () => {
    await register('2026-12-06T00:00:05.000Z');
    expect(await line.heartbeat('w1', '2026-12-06T00:00:06.000Z')).toBe(true);
    const connections = relay.accepted();
    relay.freeze();
    await expect(line.heartbeat('w1', '2026-12-06T00:00:07.000Z')).rejects.toThrow(/timeout/i);
    expect(await line.heartbeat('w1', '2026-12-06T00:00:08.000Z')).toBe(true);
    expect(relay.accepted()).toBe(connections + 1);
    expect(await heartbeatAt('w1')).toBe('2026-12-06T00:00:08.000Z');
  });
});
