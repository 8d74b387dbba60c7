/**
 * (a) Task start latency: `task create` → the first agent event at a WebSocket subscriber, against the
 * raw baselines measured in the same run: `claude -p` to its first stream-json line, plus `git worktree add`.
 */
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { subscribeTask } from '../shared/ws-client.js';
import type { GluonEvent } from '../shared/events.js';
import { agentEnv, git, makeRepo, startGluon, tempDir } from '../test/e2e/harness.js';
import { median } from './stats.js';

const claudeBinary = () => {
  const require = createRequire(import.meta.url);
  return path.join(
    path.dirname(require.resolve('@anthropic-ai/claude-agent-sdk-linux-x64/package.json')),
    'claude',
  );
};

/** Raw Claude Code: time from spawn to its first stream-json line. */
async function rawClaudeFirstLine(env: NodeJS.ProcessEnv, cwd: string): Promise<number> {
  const t0 = performance.now();
  const child = spawn(
    claudeBinary(),
    [
      '-p',
      '[[scenario:slow ms=200]] hi',
      '--output-format',
      'stream-json',
      '--verbose',
      '--model',
      'claude-sonnet-4-5',
    ],
    { cwd, env, stdio: ['ignore', 'pipe', 'ignore'] },
  );
  const first = await new Promise<number>((resolve, reject) => {
    child.stdout.once('data', () => resolve(performance.now() - t0));
    child.once('exit', (code) => reject(new Error(`claude exited ${code} before printing`)));
  });
  await new Promise((r) => child.once('exit', r));
  return first;
}

async function rawWorktreeAdd(repo: string, i: number): Promise<number> {
  const dir = path.join(tempDir('bench-wt'), `wt-${i}`);
  const t0 = performance.now();
  await git(repo, 'worktree', 'add', '-q', '-b', `bench-${i}`, dir, 'main');
  return performance.now() - t0;
}

export async function measureStartLatency(
  rounds = 5,
): Promise<{ gluonMs: number; claudeMs: number; worktreeMs: number }> {
  const g = await startGluon();
  const repo = await makeRepo();
  const env = agentEnv(g.fake, tempDir('bench-home'));
  const gluon: number[] = [];
  const claude: number[] = [];
  const worktree: number[] = [];
  try {
    await rawClaudeFirstLine(env, repo); // warm the binary's page cache for both sides alike
    for (let i = 0; i < rounds; i++) {
      claude.push(await rawClaudeFirstLine(env, repo));
      worktree.push(await rawWorktreeAdd(repo, i));
      const t0 = performance.now();
      const task = await g.client.createTask({ project: 'sample', prompt: '[[scenario:slow ms=200]] hi' });
      const firstAgentEvent = await new Promise<number>((resolve) => {
        const sub = subscribeTask({
          baseUrl: g.server.url,
          token: g.server.token,
          taskId: task.id,
          afterSeq: 0,
          onEvent: (e: GluonEvent) => {
            if (e.type === 'run.session' || e.type.startsWith('agent.') || e.type.startsWith('tool.')) {
              sub.close();
              resolve(performance.now() - t0);
            }
          },
        });
      });
      gluon.push(firstAgentEvent);
      await g.server.services.scheduler.kick();
      while (g.server.services.runs.activeCount() > 0) await new Promise((r) => setTimeout(r, 50));
    }
  } finally {
    await g.close();
  }
  return { gluonMs: median(gluon), claudeMs: median(claude), worktreeMs: median(worktree) };
}
