import { execFileSync } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { REDACTED } from './domain/redact.js';
import { FAKE } from './domain/testing/secret-fakes.js';
import type { Agent } from './runner/agent.js';
import { ensureToken, startServer } from './server.js';

describe('starting the server safely', () => {
  const homes: string[] = [];
  const home = async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'gluon-server-'));
    homes.push(dir);
    return dir;
  };
  afterEach(async () => {
    for (const dir of homes.splice(0)) await rm(dir, { recursive: true, force: true });
  });

  it('refuses to listen beyond loopback unless the names clients use are listed', async () => {
    await expect(
      startServer({ home: await home(), config: { host: '0.0.0.0', port: 0 }, env: {}, log: () => {} }),
    ).rejects.toThrow(/refusing to bind 0\.0\.0\.0/);
  });

  it('creates the token once, mode 600, and keeps it across starts', async () => {
    const dir = await home();
    const first = ensureToken(dir);
    expect(first).toMatch(/^[a-f0-9]{64}$/);
    expect(statSync(path.join(dir, 'token')).mode & 0o777).toBe(0o600);
    expect(ensureToken(dir)).toBe(first);
    expect(readFileSync(path.join(dir, 'token'), 'utf8').trim()).toBe(first);
  });

  it('logs nothing secret: not in messages, not in errors, not in their stack traces', async () => {
    const dir = await home();
    const token = ensureToken(dir);
    const repo = await home();
    const git = (...args: string[]) => execFileSync('git', ['-C', repo, ...args]);
    git('init', '-q', '-b', 'main');
    git(
      '-c',
      'user.name=T',
      '-c',
      'user.email=t@example.com',
      'commit',
      '-q',
      '--allow-empty',
      '-m',
      'start',
    );
    // An agent that fails to start with secrets in its error, as a spawn error quoting its env would.
    const agent: Agent = {
      name: 'broken',
      capabilities: { approvals: true, questions: true, planMode: true, images: true },
      start() {
        throw new Error(`cannot start with GLUON_TOKEN=${token}, ${FAKE.ghp} and a-server-env-secret-42`);
      },
    };
    const lines: string[] = [];
    const server = await startServer({
      home: dir,
      config: { port: 0, sandbox: { allowUnsandboxedAuto: true } }, // no PATH here: no sandbox, and this test is about logs
      env: { DEPLOY_PASSWORD: 'a-server-env-secret-42' },
      agent,
      log: (msg, err) => lines.push(`${msg} ${(err as Error)?.stack ?? String(err)}`),
    });
    try {
      await server.services.projects.add({ path: repo, name: 'p' });
      await server.services.tasks.create({
        project: 'p',
        prompt: 'use a-server-env-secret-42',
        worktree: false,
      });
      await server.services.scheduler.kick();
      // The start fails inside the run (the task is then repaired as a restart would): its error is logged.
      await expect
        .poll(() => lines.join('\n'), { timeout: 10_000 })
        .toMatch(/could not start task|recording a run of task/);
    } finally {
      await server.close();
    }
    const all = lines.join('\n');
    expect(all).toContain(`GLUON_TOKEN=${REDACTED}`);
    expect(all).toContain('at '); // the stack trace is still there, redacted
    for (const secret of [token, FAKE.ghp, 'a-server-env-secret-42']) expect(all).not.toContain(secret);
  });
});
