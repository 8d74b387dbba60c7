/**
 * End-to-end harness: a temporary git repository, the scripted fake Anthropic API and the fake OpenAI
 * Responses API, and a Gluon server (in-process or as a real `gluon serve` process) whose agents are the
 * real Claude Code and the real Codex CLI.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { startFakeAnthropic, type FakeAnthropic } from '../../fakes/anthropic/index.js';
import { startFakeOpenAi, type FakeOpenAi } from '../../fakes/openai/index.js';
import type { ConfigInput } from '../../server/src/config.js';
import { startServer, type RunningServer } from '../../server/src/server.js';
import { createClient, type GluonClient } from '../../shared/client.js';
import type { TaskDto } from '../../shared/api.js';

export const run = promisify(execFile);
/** The checkout's root (this file also runs compiled, from dist/, for the benchmark). */
export const ROOT = (() => {
  let dir = import.meta.dirname;
  while (!existsSync(path.join(dir, 'package.json'))) dir = path.dirname(dir);
  return dir;
})();
export const API_KEY = 'sk-ant-api03-testkey-0123456789abcdefghijklmnop';
export const OPENAI_KEY = 'sk-proj-testkey-0123456789abcdefghijklmnop';

/** Runs git in `cwd` (tests' own git: a plain identity, no global config). */
export async function git(cwd: string, ...args: string[]): Promise<string> {
  const { stdout } = await run('git', args, {
    cwd,
    env: { ...process.env, GIT_CONFIG_NOSYSTEM: '1', HOME: cwd },
  });
  return stdout.trim();
}

export function tempDir(prefix: string): string {
  return mkdtempSync(path.join(os.tmpdir(), `gluon-${prefix}-`));
}

/** A repository on `main` with one commit and a local identity. */
export async function makeRepo(): Promise<string> {
  const dir = tempDir('repo');
  await git(dir, 'init', '-q', '-b', 'main');
  await git(dir, 'config', 'user.name', 'Test User');
  await git(dir, 'config', 'user.email', 'test@example.com');
  writeFileSync(path.join(dir, 'README.md'), '# sample\n');
  await git(dir, 'add', '-A');
  await git(dir, 'commit', '-q', '-m', 'initial');
  return dir;
}

/** Gives `repo` an `origin` that is a new bare repository with `main` pushed; returns the remote's path. */
export async function addBareOrigin(repo: string): Promise<string> {
  const remote = path.join(tempDir('remote'), 'origin.git');
  await git(repo, 'init', '-q', '--bare', '-b', 'main', remote);
  await git(repo, 'remote', 'add', 'origin', remote);
  await git(repo, 'push', '-q', 'origin', 'main');
  return remote;
}

/**
 * The environment the server (and through it the agents) runs with: the fake APIs and a scratch HOME.
 * Codex's variables only when its fake is given.
 */
export function agentEnv(fake: FakeAnthropic, home: string, openai?: FakeOpenAi): NodeJS.ProcessEnv {
  const scratchHome = path.join(home, 'agent-home');
  mkdirSync(scratchHome, { recursive: true });
  return {
    PATH: process.env.PATH,
    HOME: scratchHome,
    LANG: 'C.UTF-8',
    ANTHROPIC_BASE_URL: fake.url,
    ANTHROPIC_API_KEY: API_KEY,
    CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1',
    DISABLE_AUTOUPDATER: '1',
    ...(openai && { OPENAI_BASE_URL: openai.baseUrl, OPENAI_API_KEY: OPENAI_KEY }),
  };
}

export interface Gluon {
  server: RunningServer;
  client: GluonClient;
  fake: FakeAnthropic;
  openai: FakeOpenAi;
  home: string;
  repo: string;
  close(): Promise<void>;
}

/** The environment of a `gluon` CLI call as a user on this machine makes it: this server, its data directory. */
export function cliEnv(g: Gluon): NodeJS.ProcessEnv {
  return { PATH: process.env.PATH, HOME: g.home, GLUON_URL: g.server.url, GLUON_HOME: g.home, NO_COLOR: '1' };
}

/**
 * Starts the fake APIs and an in-process server with a project `sample` over a fresh repository;
 * `extra.env` overrides the server's environment, `extra.log` hears its log.
 */
export async function startGluon(
  config: ConfigInput = {},
  extra: { env?: NodeJS.ProcessEnv; log?: (line: string) => void } = {},
): Promise<Gluon> {
  const fake = await startFakeAnthropic();
  const openai = await startFakeOpenAi({ apiKey: OPENAI_KEY });
  const home = tempDir('home');
  const repo = await makeRepo();
  const server = await startServer({
    home,
    config: { port: 0, ...config },
    env: { ...agentEnv(fake, home, openai), ...extra.env },
    log: extra.log ?? (() => {}),
  });
  const client = createClient({ baseUrl: server.url, token: server.token });
  await client.addProject({ path: repo, name: 'sample' });
  return {
    server,
    client,
    fake,
    openai,
    home,
    repo,
    async close() {
      await server.close();
      await fake.close();
      await openai.close();
      rmSync(home, { recursive: true, force: true });
      rmSync(repo, { recursive: true, force: true });
    },
  };
}

/** Polls until `pred` holds for the task, or fails with the task's last state. */
export async function waitForTask(
  client: GluonClient,
  id: string,
  pred: (t: TaskDto) => boolean,
  what: string,
  timeoutMs = 60_000,
): Promise<TaskDto> {
  const deadline = Date.now() + timeoutMs;
  let last: TaskDto | undefined;
  while (Date.now() < deadline) {
    last = await client.getTask(id);
    if (pred(last)) return last;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}; task is ${JSON.stringify(last, null, 1)}`);
}

export const settled = (t: TaskDto) => t.status !== 'queued' && t.status !== 'running';

/** Runs the built CLI with the given environment; resolves with its exit code and output. */
export function cli(
  args: string[],
  env: NodeJS.ProcessEnv,
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [path.join(ROOT, 'bin', 'gluon.js'), ...args], {
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (code) => resolve({ code: code ?? 1, stdout, stderr }));
  });
}

/** Starts `gluon serve` as its own process (for restart and kill -9 tests). */
export async function spawnServe(home: string, env: NodeJS.ProcessEnv, port: number): Promise<ChildProcess> {
  const child = spawn(
    process.execPath,
    [path.join(ROOT, 'bin', 'gluon.js'), 'serve', '--port', String(port)],
    {
      env: { ...env, GLUON_HOME: home },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  await new Promise<void>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes('serving on')) resolve();
    });
    child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
    child.once('exit', (code) => reject(new Error(`gluon serve exited (${code}): ${out}`)));
  });
  return child;
}

/** A free TCP port on loopback. */
export async function freePort(): Promise<number> {
  const net = await import('node:net');
  return new Promise((resolve) => {
    const srv = net.createServer();
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => resolve(port));
    });
  });
}
