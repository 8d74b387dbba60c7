import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createClient } from '../../shared/client.js';
import { freePort, ROOT, settled, tempDir, waitForTask } from './harness.js';

describe('gluon demo', () => {
  const home = tempDir('demo');
  let child: ChildProcess | undefined;
  afterAll(async () => {
    if (child && child.exitCode === null) {
      child.kill('SIGTERM');
      await new Promise((r) => child!.once('exit', r));
    }
    rmSync(home, { recursive: true, force: true });
  });

  it('starts a labelled demo whose scripted agent takes a task to review, without any account', async () => {
    const port = await freePort();
    child = spawn(process.execPath, [path.join(ROOT, 'bin', 'gluon.js'), 'demo', '--port', String(port)], {
      env: { PATH: process.env.PATH, HOME: home, GLUON_HOME: home },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    await new Promise<void>((resolve, reject) => {
      child!.stdout!.on('data', (d: Buffer) => {
        out += d.toString();
        if (out.includes('Open the dashboard')) resolve();
      });
      child!.once('exit', (code) => reject(new Error(`gluon demo exited ${code}: ${out}`)));
    });
    expect(out).toMatch(/DEMO/);
    expect(out).toMatch(/#token=[a-f0-9]{64}/);
    const token = readFileSync(path.join(home, 'demo', 'token'), 'utf8').trim();
    const client = createClient({ baseUrl: `http://127.0.0.1:${port}`, token });
    expect(await client.health()).toMatchObject({ ok: true, demo: true });
    expect((await client.listProjects()).map((p) => p.name)).toContain('demo');
    const task = await client.createTask({ project: 'demo', prompt: 'Explain what this project does' });
    const done = await waitForTask(client, task.id, settled, 'the demo task');
    expect(done).toMatchObject({ status: 'review', stopReason: 'completed' });
    expect(done.costUsd).toBeGreaterThan(0);
  });
});
