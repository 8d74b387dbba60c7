/**
 * Each agent in its sandbox, through the real Claude Code against the fake API: a hostile agent tries to
 * read a planted key, to call Gluon's API (curl, WebFetch), to open a loopback connection no policy allows and to write
 * outside its worktree, by the file tools and by Bash; every attempt fails and shows as an error. Where
 * the sandbox cannot start (bwrap missing from the agents' PATH), Gluon says so and refuses `auto`.
 */
import { mkdirSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { probeSandbox } from '../../server/src/runner/sandbox.js';
import type { GluonEvent } from '../../shared/events.js';
import { cli, settled, startGluon, tempDir, waitForTask, type Gluon } from './harness.js';

const CANARY = `sandbox-canary-${Math.random().toString(36).slice(2)}`;

/** A loopback listener that counts who connects to it. */
async function listener(): Promise<{ port: number; connections: () => number; close: () => void }> {
  let count = 0;
  const srv = net.createServer((s) => {
    count++;
    s.end();
  });
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  return {
    port: (srv.address() as net.AddressInfo).port,
    connections: () => count,
    close: () => srv.close(),
  };
}

/** The tool results of a task, in order. */
async function toolResults(g: Gluon, id: string) {
  const { events } = await g.client.events(id, { limit: 1000 });
  return events.filter((e): e is Extract<GluonEvent, { type: 'tool.result' }> => e.type === 'tool.result');
}

const available = probeSandbox(process.env).available;

describe.skipIf(!available)('a hostile agent in its sandbox', () => {
  let g: Gluon;
  let userHome: string;
  let outside: string;
  let canary: Awaited<ReturnType<typeof listener>>;
  beforeAll(async () => {
    userHome = tempDir('user-home');
    mkdirSync(path.join(userHome, '.ssh'));
    writeFileSync(path.join(userHome, '.ssh', 'id_ed25519'), `${CANARY}\n`, { mode: 0o600 });
    outside = tempDir('outside');
    canary = await listener();
    g = await startGluon({}, { env: { HOME: userHome } });
  });
  afterAll(async () => {
    await g?.close();
    canary?.close();
    for (const dir of [userHome, outside]) if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('says on /api/health that the sandbox runs', async () => {
    expect((await g.client.health()).sandbox).toEqual({ available: true, reason: null, autoAllowed: true });
  });

  it('fails every way out, each one an error of the task, under auto', async () => {
    const key = path.join(userHome, '.ssh', 'id_ed25519');
    const directive = `[[scenario:hostile key=${key} outside=${outside} port=${g.server.port} loopback=${canary.port}]]`;
    const created = await g.client.createTask({
      project: 'sample',
      prompt: `${directive} escape`,
      approval: 'auto',
    });
    const task = await waitForTask(g.client, created.id, settled, 'the hostile run to end', 120_000);
    expect(task.inputRequired).toBe(false);
    const results = await toolResults(g, created.id);
    const outputs = results.map((r) => r.data.output);
    expect(outputs).toHaveLength(7);
    // Read: refused by Gluon's policy before Claude Code opens the file.
    expect(outputs[0]).toMatch(/\.ssh \(credentials\) is off limits/);
    // cat: the sandbox hides the directory.
    expect(outputs[1]).toMatch(/No such file or directory|Permission denied/);
    // curl to Gluon's API and a connection to another loopback port: no network but the API's host.
    expect(outputs[2]).toMatch(/Couldn't connect|Failed to connect|blocked/i);
    // WebFetch runs in Claude Code's own process: Gluon holds it to the sandbox's hosts.
    expect(outputs[3]).toMatch(
      /the sandbox lets the agent reach only 127\.0\.0\.1:\d+, not 127\.0\.0\.1:\d+/,
    );
    expect(outputs[4]).toMatch(/ECONNREFUSED|EPERM|EACCES|blocked/i);
    expect(canary.connections()).toBe(0);
    // Write: refused by Gluon's policy; echo: the file system outside the worktree is read-only.
    expect(outputs[5]).toMatch(/sandbox lets the agent write only in its worktree/);
    expect(outputs[6]).toMatch(/Read-only file system/);
    expect(readdirSync(outside)).toEqual([]);
    for (const r of results) expect(r.data.isError, r.data.output).toBe(true);
    expect(outputs.join('\n')).not.toContain(CANARY);
  });

  it("cannot read Gluon's data directory from Bash either (the token, the database)", async () => {
    const created = await g.client.createTask({
      project: 'sample',
      prompt: `[[scenario:bash cmd="ls -A ${g.home}; head -c 16 ${g.home}/gluon.db; cat ${g.home}/token"]] look`,
      approval: 'auto',
    });
    await waitForTask(g.client, created.id, settled, 'the run to end', 120_000);
    const [result] = await toolResults(g, created.id);
    expect(result?.data.isError, result?.data.output).toBe(true);
    expect(result?.data.output).toMatch(/token: No such file or directory/);
    // Only the run's own places are there to list.
    expect(result?.data.output.split('\n').slice(1, 3)).toEqual(['claude-home', 'worktrees']);
    expect(result?.data.output).not.toContain('SQLite format');
    expect(result?.data.output).not.toContain(g.server.token);
  });

  it('still lets its agent work and commit in its worktree, and reach the model', async () => {
    const created = await g.client.createTask({
      project: 'sample',
      prompt:
        '[[scenario:bash cmd="echo made > made.txt && git add -A && git commit -qm mine && git log --oneline -1"]] work',
      approval: 'auto',
    });
    const task = await waitForTask(g.client, created.id, settled, 'the run to end', 120_000);
    const [result] = await toolResults(g, created.id);
    expect(result?.data.isError, result?.data.output).toBe(false);
    expect(result?.data.output).toContain('mine');
    expect(task.status).toBe('review');
  });
});

describe.skipIf(!available)("the hosts a project's policy allows (set through the built CLI)", () => {
  let g: Gluon;
  let allowed: http.Server;
  let canary: Awaited<ReturnType<typeof listener>>;
  beforeAll(async () => {
    allowed = http.createServer((_req, res) => res.end('hello from an allowed host'));
    await new Promise<void>((r) => allowed.listen(0, '127.0.0.1', r));
    canary = await listener();
    g = await startGluon();
  });
  afterAll(async () => {
    await g?.close();
    allowed?.close();
    canary?.close();
  });

  it("are reached by the agent's commands through the sandbox's proxy; other hosts are not", async () => {
    const port = (allowed.address() as net.AddressInfo).port;
    const env = { PATH: process.env.PATH, HOME: g.home, GLUON_URL: g.server.url, GLUON_HOME: g.home };
    const set = await cli(['policy', 'set', '--project', 'sample', '--allow-host', `127.0.0.1:${port}`], env);
    expect(set.stdout, set.stderr).toContain(`"allowedHosts":["127.0.0.1:${port}"]`);
    const bad = await cli(['policy', 'set', '--project', 'sample', '--allow-host', 'http://x/'], env);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('a host, host:port or *.domain');
    const curl = (p: number) => `curl -sS --noproxy '' -m 5 http://127.0.0.1:${p}/`;
    const created = await g.client.createTask({
      project: 'sample',
      prompt: `[[scenario:bash cmd="${curl(port)}; echo; ${curl(canary.port)}"]] fetch`,
      approval: 'auto',
    });
    await waitForTask(g.client, created.id, settled, 'the run to end', 120_000);
    const [result] = await toolResults(g, created.id);
    expect(result?.data.output).toContain('hello from an allowed host');
    expect(result?.data.output).toMatch(/blocked by network allowlist/);
    expect(canary.connections()).toBe(0);
  });
});

/** A directory of links to every program on PATH but bwrap and socat: a machine without the sandbox. */
function pathWithoutSandbox(): string {
  const bin = tempDir('bin');
  for (const dir of (process.env.PATH ?? '').split(':').filter(Boolean)) {
    let names: string[] = [];
    try {
      names = readdirSync(dir);
    } catch {
      continue;
    }
    for (const name of names) {
      if (name === 'bwrap' || name === 'socat') continue;
      try {
        symlinkSync(path.join(dir, name), path.join(bin, name));
      } catch {
        // the same name earlier on PATH wins, as for the shell
      }
    }
  }
  return bin;
}

describe('where the sandbox cannot start', () => {
  let bin: string;
  const lines: string[] = [];
  let g: Gluon;
  beforeAll(async () => {
    bin = pathWithoutSandbox();
    g = await startGluon({}, { env: { PATH: bin }, log: (line) => lines.push(line) });
  });
  afterAll(async () => {
    await g?.close();
    rmSync(bin, { recursive: true, force: true });
  });

  it('says so at start and on /api/health', async () => {
    expect(lines.join('\n')).toMatch(/agents run without a sandbox: bubblewrap \(bwrap\) is not installed/);
    const { sandbox } = await g.client.health();
    expect(sandbox).toMatchObject({ available: false, autoAllowed: false });
    expect(sandbox?.reason).toContain('bwrap');
  });

  it('refuses a task with auto approval, runs one with careful, and gives careful to one that asks for none', async () => {
    const auto = g.client.createTask({ project: 'sample', prompt: 'go', approval: 'auto' });
    await expect(auto).rejects.toMatchObject({ status: 409, code: 'sandbox_unavailable' });
    const careful = await g.client.createTask({
      project: 'sample',
      prompt: '[[scenario:bash cmd="echo unsandboxed"]] go',
      approval: 'careful',
    });
    const task = await waitForTask(g.client, careful.id, settled, 'the careful run to end', 120_000);
    expect(task.status).toBe('review');
    expect((await toolResults(g, careful.id))[0]?.data.output).toContain('unsandboxed');
    // Asking for no policy gets the safest one that runs here, not a refusal.
    const unasked = await g.client.createTask({ project: 'sample', prompt: 'go' });
    expect(unasked.approval).toBe('careful');
    await g.client.cancel(unasked.id);
  });

  it('runs auto when the admin opts out (sandbox.allowUnsandboxedAuto)', async () => {
    const optedOut = await startGluon({ sandbox: { allowUnsandboxedAuto: true } }, { env: { PATH: bin } });
    try {
      expect((await optedOut.client.health()).sandbox).toMatchObject({ available: false, autoAllowed: true });
      const created = await optedOut.client.createTask({
        project: 'sample',
        prompt: '[[scenario:bash cmd="echo allowed"]] go',
        approval: 'auto',
      });
      const task = await waitForTask(optedOut.client, created.id, settled, 'the run to end', 120_000);
      expect(task.status).toBe('review');
    } finally {
      await optedOut.close();
    }
  });
});
