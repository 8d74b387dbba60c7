/**
 * Startup recovery reaps what a dead server's agent left running, including the commands it started in
 * sessions of their own (Codex runs each command so), which its process group does not reach.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { newId, nowIso } from '../ids.js';
import { isAlive } from '../runner/process-group.js';
import { recoverAfterRestart } from './recovery.js';
import type { Workspaces } from './workspaces.js';
import { insertProject, insertTask, openGitTestbed } from './testing/git-services.js';

const dirs: string[] = [];
afterAll(async () => Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true }))));

/** An orphaned agent stand-in (its command line names codex) with a command in a new session. */
async function orphanAgent(): Promise<{ agent: number; command: number }> {
  const script =
    "const c = require('child_process').spawn('sleep', ['300'], { detached: true, stdio: 'ignore' });" +
    'console.log(c.pid); setInterval(() => {}, 1000);';
  const child = spawn(process.execPath, ['-e', script, 'codex-stand-in'], {
    detached: true,
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  const command = await new Promise<number>((resolve) =>
    child.stdout.once('data', (d) => resolve(Number(String(d).trim()))),
  );
  child.unref();
  return { agent: child.pid!, command };
}

describe('recovery after a restart', () => {
  it('kills an orphaned agent and the commands it ran outside its process group', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'gluon-recovery-'));
    dirs.push(dir);
    const bed = await openGitTestbed(dir);
    const project = await insertProject(bed.storage, { path: dir });
    const task = await insertTask(bed.storage, project, { status: 'running', useWorktree: false });
    const { agent, command } = await orphanAgent();
    await bed.storage.runs.insert({
      id: newId(),
      taskId: task.id,
      kind: 'initial',
      model: 'gpt-5.5',
      prompt: 'work',
      sessionId: null,
      status: 'running',
      stopReason: null,
      costUsd: 0,
      sdkTotalUsd: null,
      error: null,
      pid: agent,
      label: null,
      startedAt: nowIso(),
      endedAt: null,
    });
    expect([isAlive(agent), isAlive(command)]).toEqual([true, true]);
    const result = await recoverAfterRestart({
      storage: bed.storage,
      events: bed.events,
      workspaces: {} as Workspaces,
      settle: async (t) => t,
      resumeOnRestart: false,
      log: () => {},
    });
    expect(result.reaped).toBe(1);
    await new Promise((r) => setTimeout(r, 100));
    const survivors = [agent, command].filter(isAlive);
    for (const pid of survivors) process.kill(pid, 'SIGKILL');
    expect(survivors).toEqual([]);
    await bed.storage.close();
  });
});
