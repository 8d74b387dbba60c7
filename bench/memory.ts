/**
 * (c) Server memory with 0 and with 20 concurrent runs. The server runs as its own process (`gluon serve`)
 * and only its resident memory is read: the agent processes are not counted.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { startFakeAnthropic } from '../fakes/anthropic/index.js';
import { createClient } from '../shared/client.js';
import { agentEnv, freePort, makeRepo, spawnServe, tempDir } from '../test/e2e/harness.js';

import { rssMb } from './cold-start.js';

async function settle(ms: number) {
  await new Promise((r) => setTimeout(r, ms));
}

export async function measureMemory(
  runs = 20,
): Promise<{ idleMb: number; oneRunMb: number; busyMb: number; perRunMb: number }> {
  const fake = await startFakeAnthropic();
  const home = tempDir('bench-mem');
  const repo = await makeRepo();
  const port = await freePort();
  const env = { ...agentEnv(fake, home), GLUON_MAX_CONCURRENT: String(runs) };
  const server = await spawnServe(home, env, port);
  try {
    const client = createClient({
      baseUrl: `http://127.0.0.1:${port}`,
      token: readFileSync(path.join(home, 'token'), 'utf8').trim(),
    });
    await client.addProject({ path: repo, name: 'sample' });
    // Warm the server's code paths with one short task, then read the idle figure.
    const warm = await client.createTask({
      project: 'sample',
      prompt: '[[scenario:write-file path=w content=w]] warm',
    });
    while (['queued', 'running'].includes((await client.getTask(warm.id)).status)) await settle(100);
    await settle(1000);
    const idleMb = rssMb(server.pid!);
    const one = await client.createTask({
      project: 'sample',
      prompt: '[[scenario:loop-forever delay=300]] one',
    });
    while ((await client.getTask(one.id)).costUsd === 0) await settle(100);
    await settle(1000);
    const oneRunMb = rssMb(server.pid!);
    await client.cancel(one.id);
    while (['queued', 'running'].includes((await client.getTask(one.id)).status)) await settle(100);
    const ids: string[] = [];
    for (let i = 0; i < runs; i++)
      ids.push(
        (
          await client.createTask({
            project: 'sample',
            prompt: `[[scenario:loop-forever delay=300]] run ${i}`,
          })
        ).id,
      );
    for (;;) {
      const tasks = await client.listTasks({ status: 'running' });
      if (tasks.length === runs && tasks.every((t) => t.costUsd > 0)) break;
      await settle(250);
    }
    await settle(3000);
    const busyMb = rssMb(server.pid!);
    await Promise.all(ids.map((id) => client.cancel(id)));
    return { idleMb, oneRunMb, busyMb, perRunMb: (busyMb - idleMb) / runs };
  } finally {
    server.kill('SIGTERM');
    await new Promise((r) => server.once('exit', r));
    await fake.close();
  }
}
