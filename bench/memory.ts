/**
 * (c) Server memory with 0 and with 20 concurrent runs. The server runs as its own process (`gluon serve`)
 * and only its resident memory is read: the agent processes are not counted. And the whole process tree
 * during one run (server, Claude Code, its sandbox) next to raw Claude Code's tree on the same scenario.
 */
import type { GluonClient } from '../shared/client.js';
import { makeRepo } from '../test/e2e/harness.js';

import { rawWorktreeAdd, sandboxLikeGluon, spawnRawClaude } from './baselines.js';
import { descendants, rssMb, treePssMb } from './process-tree.js';
import { serveGluon } from './served.js';
import { median } from './stats.js';

/** The run every memory figure watches: a Bash command every 300 ms until stopped. */
const LONG_RUN = '[[scenario:loop-forever delay=300]]';

/** How long the server has nothing to do before its idle memory is read. */
const IDLE_MS = 10_000;

/** Median of `n` readings of `read`, 500 ms apart (a run's memory moves with each tool call). */
async function sampled(read: () => number, n = 6): Promise<number> {
  const values: number[] = [];
  for (let i = 0; i < n; i++) {
    values.push(read());
    await settle(500);
  }
  return median(values);
}

/** Raw Claude Code's process tree PSS on LONG_RUN in a worktree of `repo`, its Bash allowed as Gluon does. */
async function rawTreePssMb(repo: string, env: NodeJS.ProcessEnv, sandboxed: boolean, dataDir: string) {
  const dir = (await rawWorktreeAdd(repo, `bench-pss-${Date.now()}`)).dir;
  const child = spawnRawClaude(env, dir, {
    prompt: `${LONG_RUN} raw`,
    allowedTools: ['Bash'],
    ...(sandboxed && { sandbox: sandboxLikeGluon(dir, env, dataDir) }),
  });
  try {
    await new Promise((resolve) => child.stdout.once('data', resolve));
    child.stdout.resume();
    await settle(2000);
    return await sampled(() => treePssMb(child.pid!).mb);
  } finally {
    // What it started too (its sandbox's socat proxies outlive a Claude Code killed alone), listed first:
    // once it is gone they belong to PID 1.
    for (const pid of [...descendants(child.pid!), child.pid!]) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // gone meanwhile
      }
    }
    await new Promise((r) => child.once('exit', r));
  }
}

async function settle(ms: number) {
  await new Promise((r) => setTimeout(r, ms));
}

/** The server's RSS with `runs` agents running at once (each past its first cost), then stopped. */
async function busyRss(client: GluonClient, pid: number, runs: number): Promise<number> {
  const ids: string[] = [];
  for (let i = 0; i < runs; i++)
    ids.push((await client.createTask({ project: 'sample', prompt: `${LONG_RUN} run ${i}` })).id);
  for (;;) {
    const tasks = await client.listTasks({ status: 'running' });
    if (tasks.length === runs && tasks.every((t) => t.costUsd > 0)) break;
    await settle(250);
  }
  await settle(3000);
  const mb = rssMb(pid);
  await Promise.all(ids.map((id) => client.cancel(id)));
  return mb;
}

export async function measureMemory(runs = 20): Promise<{
  idleMb: number;
  oneRunMb: number;
  busyMb: number;
  perRunMb: number;
  treePssMb: number;
  rawTreePssMb: number;
  sandboxed: boolean;
}> {
  const repo = await makeRepo();
  const g = await serveGluon('bench-mem', { GLUON_MAX_CONCURRENT: String(runs) });
  const { client, home, env, child: server } = g;
  try {
    await client.addProject({ path: repo, name: 'sample' });
    // Warm the server's code paths with one short task, then read the idle figure.
    const warm = await client.createTask({
      project: 'sample',
      prompt: '[[scenario:write-file path=w content=w]] warm',
    });
    while (['queued', 'running'].includes((await client.getTask(warm.id)).status)) await settle(100);
    // Idle as a server is between tasks: V8 returns what the task's work left (its young generation
    // shrinks back) once allocation has been quiet for some seconds.
    await settle(IDLE_MS);
    const idleMb = rssMb(server.pid!);
    const sandboxed = (await client.health()).sandbox?.available === true;
    const rawPss = await rawTreePssMb(repo, env, sandboxed, home);
    const one = await client.createTask({ project: 'sample', prompt: `${LONG_RUN} one` });
    while ((await client.getTask(one.id)).costUsd === 0) await settle(100);
    await settle(1000);
    const oneRunMb = rssMb(server.pid!);
    const treePss = await sampled(() => treePssMb(server.pid!).mb);
    await client.cancel(one.id);
    while (['queued', 'running'].includes((await client.getTask(one.id)).status)) await settle(100);
    const busyMb = await busyRss(client, server.pid!, runs);
    const perRunMb = (busyMb - idleMb) / runs;
    return { idleMb, oneRunMb, busyMb, perRunMb, treePssMb: treePss, rawTreePssMb: rawPss, sandboxed };
  } finally {
    await g.close();
  }
}
