/**
 * Fifty cancels at once through the built `gluon serve`: some tasks have a real Claude Code agent working
 * (4 by default, all 50 with GLUON_SOAK=1), the rest wait in the queue and may be starting as slots free
 * up under the cancels. Every cancel answers with a final task within 10 s, no task comes back to life,
 * no process is left, and the agents' uncommitted work is kept on their branches.
 */
import { existsSync, readFileSync, readlinkSync, rmSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeAnthropic, type FakeAnthropic } from '../../fakes/anthropic/index.js';
import type { TaskDto } from '../../shared/api.js';
import { agentEnv, cli, freePort, git, makeRepo, tempDir, waitForTask } from './harness.js';
import { processesUnder, scale, serve, stop, type Serve } from './reliability-harness.js';

const TOTAL = 50;

/** A process, as a failure message shows it: pid, command line, working directory. */
function describeProcess(pid: number): string {
  try {
    const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ').slice(0, 120);
    return `${pid} ${cmd} in ${readlinkSync(`/proc/${pid}/cwd`)}`;
  } catch {
    return `${pid} (gone since)`;
  }
}
const RUNNING = scale(4, 50);

describe(`reliability: ${TOTAL} cancels at once, ${RUNNING} of them of running agents`, () => {
  let fake: FakeAnthropic;
  let home: string;
  let repo: string;
  let server: Serve | undefined;
  const env = () => ({ ...agentEnv(fake, home), GLUON_HOME: home, GLUON_MAX_CONCURRENT: String(RUNNING) });

  beforeAll(async () => {
    fake = await startFakeAnthropic();
    home = tempDir('rel-cancel');
    repo = await makeRepo();
    server = await serve(home, env(), await freePort());
    await server.client.addProject({ path: repo, name: 'sample' });
  }, 120_000);
  afterAll(async () => {
    await stop(server?.child, 'SIGTERM');
    await fake.close();
    rmSync(home, { recursive: true, force: true });
    rmSync(repo, { recursive: true, force: true });
  });

  it('all final within 10 s, none back to life, no process left, work kept', async () => {
    const { client } = server!;
    const ids: string[] = [];
    for (let i = 0; i < TOTAL; i++)
      ids.push(
        (
          await client.createTask({
            project: 'sample',
            prompt: `[[scenario:loop-forever delay=300]] agent ${i}`,
          })
        ).id,
      );
    // The first RUNNING tasks start (first in, first out) and work: ticks.txt grows in their worktrees.
    const working = await Promise.all(
      ids
        .slice(0, RUNNING)
        .map((id) =>
          waitForTask(
            client,
            id,
            (t) =>
              t.status === 'running' &&
              !!t.worktreePath &&
              existsSync(path.join(t.worktreePath, 'ticks.txt')),
            'the agent to work',
            180_000,
          ),
        ),
    );

    const started = Date.now();
    const answers = await Promise.all(
      ids.map(async (id) => {
        const t = await client.cancel(id);
        return { t, ms: Date.now() - started };
      }),
    );
    const problems = answers.filter(({ t }) => t.status !== 'cancelled' || t.stopReason !== 'cancelled');
    expect(problems.map(({ t }) => [t.id, t.status, t.stopReason])).toEqual([]);
    const times = answers.map((a) => a.ms).sort((a, b) => a - b);
    expect(Math.max(...times), `cancel times (ms): ${times.join(' ')}`).toBeLessThan(10_000);

    // Nothing comes back: no task starts again once the slots are free.
    await new Promise((r) => setTimeout(r, 3000));
    const listed = JSON.parse(
      (await cli(['ls', '--json'], { ...env(), GLUON_URL: server!.url })).stdout,
    ) as TaskDto[];
    expect(listed.filter((t) => t.status !== 'cancelled').map((t) => [t.id, t.status])).toEqual([]);
    expect(listed).toHaveLength(TOTAL);
    const left = processesUnder(path.join(home, 'worktrees'));
    expect(left.map(describeProcess)).toEqual([]);
    for (const t of working) expect(await git(repo, 'show', `${t.branch}:ticks.txt`)).toContain('tick');
    for (const id of ids) {
      const { events } = await client.events(id, { limit: 10_000 });
      expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i + 1));
      // No run of a cancelled task is left open (an agent started for it after its cancel would be).
      expect((await client.runs(id)).filter((r) => r.endedAt === null)).toEqual([]);
    }
  }, 300_000);
});
