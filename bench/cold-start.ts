/**
 * Server cold start: `gluon serve` (the built CLI, a data directory that already knows a 5-file and a
 * 20,000-file project) from spawn until it answers its first API request, with its resident memory then;
 * next to a bare Node HTTP server's cold start measured in the same run, and to the floor of the stack it
 * stands on (Node with better-sqlite3 and Fastify alone, or with `node:http` alone: baselines.ts).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { ChildProcess } from 'node:child_process';
import { createClient } from '../shared/client.js';
import { freePort, spawnServe, tempDir } from '../test/e2e/harness.js';
import { bareNodeColdStart, stackFloorColdStart } from './baselines.js';
import { rssMb } from './process-tree.js';
import { median } from './stats.js';

async function stop(child: ChildProcess) {
  child.kill('SIGTERM');
  await new Promise((r) => child.once('exit', r));
}

/** One cold start of `gluon serve` on `home`: ms until /api/health answers, and RSS at that moment. */
async function coldStart(home: string): Promise<{ ms: number; rssMb: number }> {
  const port = await freePort();
  const t0 = performance.now();
  const child = await spawnServe(home, { ...process.env, HOME: home }, port);
  try {
    const token = readFileSync(path.join(home, 'token'), 'utf8').trim();
    const res = await fetch(`http://127.0.0.1:${port}/api/health`, {
      headers: { authorization: `Bearer ${token}` },
    });
    if (!res.ok) throw new Error(`health answered ${res.status}`);
    await res.text();
    return { ms: performance.now() - t0, rssMb: rssMb(child.pid!) };
  } finally {
    await stop(child);
  }
}

export async function measureColdStart(
  n: number,
  repos: { small: string; big: string },
): Promise<{
  gluonMs: number;
  bareMs: number;
  rssMb: number;
  floorMs: number;
  floorRssMb: number;
  sqliteRssMb: number;
}> {
  const home = tempDir('bench-cold');
  // A data directory as a user has it: both projects registered (per-project work at start would show).
  const port = await freePort();
  const first = await spawnServe(home, { ...process.env, HOME: home }, port);
  const client = createClient({
    baseUrl: `http://127.0.0.1:${port}`,
    token: readFileSync(path.join(home, 'token'), 'utf8').trim(),
  });
  await client.addProject({ path: repos.small, name: 'small' });
  await client.addProject({ path: repos.big, name: 'big' });
  await stop(first);
  await bareNodeColdStart();
  const gluon: number[] = [];
  const bare: number[] = [];
  const rss: number[] = [];
  const floor: number[] = [];
  const floorRss: number[] = [];
  const sqliteRss: number[] = [];
  for (let i = 0; i < n; i++) {
    bare.push(await bareNodeColdStart());
    sqliteRss.push((await stackFloorColdStart('node')).rssMb);
    const f = await stackFloorColdStart();
    floor.push(f.ms);
    floorRss.push(f.rssMb);
    const g = await coldStart(home);
    gluon.push(g.ms);
    rss.push(g.rssMb);
  }
  return {
    gluonMs: median(gluon),
    bareMs: median(bare),
    rssMb: median(rss),
    floorMs: median(floor),
    floorRssMb: median(floorRss),
    sqliteRssMb: median(sqliteRss),
  };
}
