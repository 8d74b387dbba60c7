/**
 * The built `gluon serve` (dist/bundle, as a user runs it): what it loads to listen. The bundle leaves
 * some of Node's built-ins that fastify and ws require at their top for first use (scripts/bundle.mjs,
 * LAZY_BUILTINS); a server must listen without them, and its API and WebSocket must work all the same.
 * Its files are compiled with V8's code cache (cli/src/code-cache.ts): a second start compiles none.
 */
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import WebSocket from 'ws';
import { CODE_CACHE_STATS, type CodeCacheStats } from '../../cli/src/code-cache.js';
import { freePort, spawnServe, tempDir } from './harness.js';

/** Built-ins a plain server has no use for at start (an HTTPS or HTTP/2 server, a WebSocket client…). */
const LEFT_FOR_FIRST_USE = ['https', 'http2', 'tls', 'zlib'];

describe('the built server at start', () => {
  const home = tempDir('bundle-start');
  const preload = path.join(home, 'modules-on-signal.cjs');
  const list = path.join(home, 'modules.txt');
  let server: ChildProcess;
  let url: string;
  let token: string;

  /** What the server has loaded so far, and what its code cache did (it writes them on SIGUSR2). */
  async function loaded(): Promise<{ builtins: string[]; codeCache: CodeCacheStats }> {
    rmSync(list, { force: true });
    server.kill('SIGUSR2');
    await vi.waitFor(() => expect(existsSync(list)).toBe(true), { timeout: 10_000, interval: 20 });
    const { modules, codeCache } = JSON.parse(readFileSync(list, 'utf8')) as {
      modules: string[];
      codeCache: CodeCacheStats;
    };
    const builtins = modules
      .filter((line) => line.startsWith('NativeModule '))
      .map((line) => line.slice('NativeModule '.length));
    return { builtins, codeCache };
  }
  const loadedBuiltins = async () => (await loaded()).builtins;

  const start = async () => {
    const port = await freePort();
    server = await spawnServe(
      home,
      { ...process.env, HOME: home, NODE_OPTIONS: `--require ${preload}` },
      port,
    );
    url = `http://127.0.0.1:${port}`;
    token = readFileSync(path.join(home, 'token'), 'utf8').trim();
  };
  const stop = async () => {
    server.kill('SIGTERM');
    await new Promise((resolve) => server.once('exit', resolve));
  };

  beforeAll(async () => {
    writeFileSync(
      preload,
      // Written aside and renamed, so the test never reads a half-written file.
      `process.on('SIGUSR2', () => {
  const fs = require('node:fs');
  fs.writeFileSync(${JSON.stringify(`${list}.part`)}, JSON.stringify({
    modules: process.moduleLoadList,
    codeCache: globalThis[Symbol.for(${JSON.stringify(CODE_CACHE_STATS.description)})],
  }));
  fs.renameSync(${JSON.stringify(`${list}.part`)}, ${JSON.stringify(list)});
});\n`,
    );
    await start();
  });

  afterAll(stop);

  it('listens without the built-ins left for first use; the API and the WebSocket work', async () => {
    const atStart = await loadedBuiltins();
    expect(atStart).toContain('http');
    expect(atStart.filter((m) => LEFT_FOR_FIRST_USE.includes(m))).toEqual([]);

    const health = await fetch(`${url}/api/health`, { headers: { authorization: `Bearer ${token}` } });
    expect(health.status).toBe(200);
    const ws = new WebSocket(`${url.replace('http', 'ws')}/api/ws`, ['gluon.v1', `gluon-token.${token}`], {
      headers: { origin: url },
    });
    await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
    const pong = new Promise<unknown>((resolve) =>
      ws.once('message', (data: Buffer) => resolve(JSON.parse(data.toString()))),
    );
    ws.send(JSON.stringify({ type: 'ping' }));
    expect(await pong).toEqual({ type: 'pong' });
    ws.close();

    // Serving HTTP and a WebSocket needed none of them either (the metrics a first client loads bring
    // zlib: prom-client takes gzipSync out at its top).
    const served = (await loadedBuiltins()).filter((m) => LEFT_FOR_FIRST_USE.includes(m));
    expect(served.filter((m) => m !== 'zlib')).toEqual([]);
  });

  it('compiles its files from the cache an earlier start wrote', async () => {
    // The first start's caches are written WRITE_AFTER_MS after its last file compiled without one (an
    // earlier server of the suite may have written them all already: then it compiled none).
    await vi.waitFor(
      async () => {
        const { codeCache } = await loaded();
        expect(codeCache.written).toBe(codeCache.compiled);
      },
      { timeout: 10_000, interval: 200 },
    );
    const first = (await loaded()).codeCache;
    expect(first.used + first.compiled).toBeGreaterThan(10);
    await stop();
    await start();
    const health = await fetch(`${url}/api/health`, { headers: { authorization: `Bearer ${token}` } });
    expect(health.status).toBe(200);
    const second = (await loaded()).codeCache;
    // Each file it loaded (the chunks a WebSocket client brings not among them yet) came from a cache.
    expect(second).toMatchObject({ compiled: 0, written: 0 });
    expect(second.used).toBeGreaterThan(10);
    expect(second.used).toBeLessThanOrEqual(first.used + first.compiled);
  });
});
