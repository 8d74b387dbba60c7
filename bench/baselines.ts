/**
 * The raw baselines Gluon's figures are judged against, measured in the same run on the same machine:
 * the Claude Code binary Gluon itself runs (`claude -p --output-format stream-json`), a bare Node HTTP
 * server's cold start, `git worktree add` on a given repository, and repositories of a given size.
 */
import { spawn, type ChildProcessByStdio } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import type { SandboxSettings } from '@anthropic-ai/claude-agent-sdk';
import { sandboxSettings } from '../server/src/runner/sandbox.js';
import { git, tempDir } from '../test/e2e/harness.js';
import { rssMb } from './process-tree.js';
import { marksOfLine, type ToolMark } from './tool-calls.js';

/** The scenario every start figure runs: 20 tool calls (Write step-1.txt … step-20.txt), then a summary. */
export const SCENARIO = '[[scenario:steps n=20 delay=0]] write the twenty steps';
export const MODEL = 'claude-sonnet-4-5';

export function claudeBinary(): string {
  const require = createRequire(import.meta.url);
  return path.join(
    path.dirname(require.resolve('@anthropic-ai/claude-agent-sdk-linux-x64/package.json')),
    'claude',
  );
}

/**
 * Raw Claude Code on the scenario in `cwd`: ms from spawn to its first stream-json line, and to its exit,
 * and its tool calls as it printed them (`marks`, ms from spawn: see tool-calls.ts).
 * `sandbox` gives it the OS sandbox settings Gluon gives its agents (through `--settings`, as the SDK does).
 */
export async function rawClaude(
  env: NodeJS.ProcessEnv,
  cwd: string,
  opts: { prompt?: string; sandbox?: SandboxSettings } = {},
): Promise<{ firstLineMs: number; exitMs: number; marks: ToolMark[] }> {
  const t0 = performance.now();
  const child = spawnRawClaude(env, cwd, opts);
  let firstLineMs = NaN;
  const marks: ToolMark[] = [];
  child.stdout.once('data', () => (firstLineMs = performance.now() - t0));
  const lines = createInterface({ input: child.stdout });
  lines.on('line', (line) => marks.push(...marksOfLine(line, performance.now() - t0)));
  const read = new Promise((resolve) => lines.once('close', resolve));
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  const exitMs = performance.now() - t0;
  await read;
  if (code !== 0 || Number.isNaN(firstLineMs)) throw new Error(`raw claude exited ${code}`);
  return { firstLineMs, exitMs, marks };
}

/** The raw `claude -p … --output-format stream-json` process on a prompt, its stdout piped. */
export function spawnRawClaude(
  env: NodeJS.ProcessEnv,
  cwd: string,
  opts: { prompt?: string; sandbox?: SandboxSettings; allowedTools?: string[] } = {},
): ChildProcessByStdio<null, Readable, null> {
  return spawn(
    claudeBinary(),
    [
      '-p',
      opts.prompt ?? SCENARIO,
      '--output-format',
      'stream-json',
      '--verbose',
      '--model',
      MODEL,
      '--permission-mode',
      'acceptEdits',
      ...(opts.sandbox ? ['--settings', JSON.stringify({ sandbox: opts.sandbox })] : []),
      ...(opts.allowedTools ? ['--allowedTools', ...opts.allowedTools] : []),
    ],
    { cwd, env, stdio: ['ignore', 'pipe', 'ignore'] },
  );
}

/**
 * The sandbox settings Gluon would give an agent in `cwd` (runner/sandbox.ts), for the raw baseline:
 * `dataDir` closed, the agent's HOME open but for its credentials.
 */
export function sandboxLikeGluon(cwd: string, env: NodeJS.ProcessEnv, dataDir: string): SandboxSettings {
  return sandboxSettings({
    cwd,
    dataDir,
    agentHome: env.HOME!,
    closedInHome: [],
    userHome: process.env.HOME,
    apiBaseUrl: env.ANTHROPIC_BASE_URL,
  });
}

/** A bare Node HTTP server: ms from spawn until its first answer (the floor of any Node server's start). */
export async function bareNodeColdStart(): Promise<number> {
  const serve =
    "const s=require('node:http').createServer((q,r)=>r.end('ok'));" +
    "s.listen(0,'127.0.0.1',()=>console.log('serving on http://127.0.0.1:'+s.address().port))";
  return (await timeServer(['-e', serve])).ms;
}

/**
 * The floor of the stack Gluon's server stands on: Node with better-sqlite3 (a WAL database with one
 * table and one row) serving it over Fastify (one route), or over `node:http` alone (`http: 'node'`: the
 * least any SQLite-backed Node server can be), nothing else, from spawn until its first answer, and its
 * resident memory then (read as Gluon's at ready is).
 */
export async function stackFloorColdStart(
  http: 'fastify' | 'node' = 'fastify',
): Promise<{ ms: number; rssMb: number }> {
  const script = `
    const [server, sqlite, file] = process.argv.slice(1);
    const db = new (require(sqlite))(file);
    db.pragma('journal_mode = WAL');
    db.prepare('create table if not exists t (id integer primary key, v text)').run();
    db.prepare('insert into t (v) values (?)').run('x');
    const count = () => db.prepare('select count(*) as n from t').get();
    if (server === 'node') {
      const s = require('node:http').createServer((q, r) => r.end(JSON.stringify(count())));
      s.listen(0, '127.0.0.1', () => console.log('serving on http://127.0.0.1:' + s.address().port));
    } else {
      const app = require(server)({ logger: false });
      app.get('/', async () => count());
      app.listen({ port: 0, host: '127.0.0.1' }).then((url) => console.log('serving on ' + url));
    }`;
  const require = createRequire(import.meta.url);
  const db = path.join(tempDir('bench-floor'), 'floor.db');
  const server = http === 'node' ? 'node' : require.resolve('fastify');
  return timeServer(['-e', script, server, require.resolve('better-sqlite3'), db]);
}

/** `node <args>` as a server: ms from spawn to its first answer, and its resident memory then. */
async function timeServer(args: string[]): Promise<{ ms: number; rssMb: number }> {
  const t0 = performance.now();
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] });
  try {
    const url = await new Promise<string>((resolve, reject) => {
      let out = '';
      child.stdout.on('data', (d: Buffer) => {
        out += d.toString();
        const m = /serving on (\S+)/.exec(out);
        if (m) resolve(m[1]!);
      });
      child.once('exit', (code) => reject(new Error(`server exited ${code}`)));
    });
    await (await fetch(url)).text();
    return { ms: performance.now() - t0, rssMb: rssMb(child.pid!) };
  } finally {
    child.kill('SIGTERM');
  }
}

/** `git worktree add -b <branch> <dir> main` on `repo`: ms, and the new worktree. */
export async function rawWorktreeAdd(repo: string, branch: string): Promise<{ ms: number; dir: string }> {
  const dir = path.join(tempDir('bench-wt'), 'wt');
  const t0 = performance.now();
  await git(repo, 'worktree', 'add', '-q', '-b', branch, dir, 'main');
  return { ms: performance.now() - t0, dir };
}

/** A repository on `main` with `files` files in one commit (in folders of 100) and a local identity. */
export async function makeRepoOfSize(files: number): Promise<string> {
  const dir = tempDir(`repo-${files}`);
  await git(dir, 'init', '-q', '-b', 'main');
  await git(dir, 'config', 'user.name', 'Bench User');
  await git(dir, 'config', 'user.email', 'bench@example.com');
  for (let i = 0; i < files; i++) {
    const folder = path.join(dir, 'src', `m${Math.floor(i / 100)}`);
    if (i % 100 === 0) mkdirSync(folder, { recursive: true });
    writeFileSync(path.join(folder, `f${i}.ts`), `export const v${i} = ${i};\n`);
  }
  await git(dir, 'add', '-A');
  await git(dir, 'commit', '-q', '-m', `${files} files`);
  return dir;
}
