/**
 * Test helper: the real HTTP application (`buildApp`) over the real services, SQLite in a temporary data
 * directory, a project over a fresh git repository, and the real Claude Code agent pointed at the
 * scripted fake Anthropic API — listening on 127.0.0.1, with its route table and storage within reach of
 * the tests. `rawRequest` sends bytes exactly as given, because an HTTP client (and `inject`) would
 * normalise the very spellings the gate must refuse. Not a product module.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { startFakeAnthropic } from '../../../../fakes/anthropic/index.js';
import { loadConfig, type ConfigInput } from '../../config.js';
import { createClaudeAgent } from '../../runner/claude-agent.js';
import { createServices } from '../../services/index.js';
import { openStorage } from '../../storage/index.js';
import { buildApp } from '../http.js';

export interface RawAnswer {
  status: number;
  headers: Record<string, string>;
  body: string;
  /** The body parsed as JSON, or undefined. */
  json: unknown;
}

/**
 * Sends `text` on a fresh connection and reads the answer until the server closes it (requests say
 * `Connection: close`). The connection is not half-closed: Node's server aborts a request whose client
 * ended its side. A 101 is read up to its headers, then the socket is dropped.
 */
export function rawRequest(port: number, text: string | Buffer): Promise<RawAnswer> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    const socket = net.connect(port, '127.0.0.1', () => socket.write(text));
    socket.on('data', (d: Buffer) => {
      chunks.push(d);
      const sofar = Buffer.concat(chunks).toString('latin1');
      if (sofar.startsWith('HTTP/1.1 101 ') && sofar.includes('\r\n\r\n')) socket.destroy();
    });
    // The server may answer (413, 401) and close before it has read all we send: keep what came back.
    socket.on('error', () => {});
    socket.on('close', () => resolve(parseAnswer(Buffer.concat(chunks).toString('latin1'))));
  });
}

function parseAnswer(text: string): RawAnswer {
  const split = text.indexOf('\r\n\r\n');
  const head = split === -1 ? text : text.slice(0, split);
  let body = split === -1 ? '' : text.slice(split + 4);
  const [statusLine = '', ...lines] = head.split('\r\n');
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const colon = line.indexOf(':');
    if (colon > 0) headers[line.slice(0, colon).toLowerCase()] = line.slice(colon + 1).trim();
  }
  if (headers['transfer-encoding'] === 'chunked') body = unchunk(body);
  body = Buffer.from(body, 'latin1').toString('utf8');
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    json = undefined;
  }
  return { status: Number(statusLine.split(' ')[1] ?? 0), headers, body, json };
}

function unchunk(text: string): string {
  let out = '';
  let rest = text;
  for (;;) {
    const eol = rest.indexOf('\r\n');
    const size = parseInt(rest.slice(0, eol), 16);
    if (eol === -1 || !size) return out;
    out += rest.slice(eol + 2, eol + 2 + size);
    rest = rest.slice(eol + 2 + size + 2);
  }
}

/** A request as raw text: method, target exactly as given, headers, optional body. */
export function requestText(
  method: string,
  target: string,
  headers: Record<string, string>,
  body?: string | Buffer,
): Buffer {
  const all = { connection: 'close', ...headers } as Record<string, string>;
  if (body !== undefined) all['content-length'] = String(Buffer.byteLength(body));
  const head = `${method} ${target} HTTP/1.1\r\n${Object.entries(all)
    .map(([k, v]) => `${k}: ${v}\r\n`)
    .join('')}\r\n`;
  return Buffer.concat([
    Buffer.from(head, 'latin1'),
    body === undefined ? Buffer.alloc(0) : Buffer.from(body),
  ]);
}

export interface LiveApp {
  app: FastifyInstance;
  port: number;
  url: string;
  token: string;
  home: string;
  repo: string;
  services: ReturnType<typeof createServices>;
  storage: Awaited<ReturnType<typeof openStorage>>;
  /** What the server logged (message and error). */
  logs: { msg: string; err?: unknown }[];
  /** Sends a raw request to this server; `Host` is set unless given. */
  send(
    method: string,
    target: string,
    headers?: Record<string, string>,
    body?: string | Buffer,
  ): Promise<RawAnswer>;
  close(): Promise<void>;
}

/** A git repository `<dir>/<name>` on `main` with one commit. */
export function makeRepo(dir: string, name = 'repo'): string {
  const repo = path.join(dir, name);
  mkdirSync(repo);
  const git = (...args: string[]) =>
    execFileSync('git', ['-c', 'user.name=Test', '-c', 'user.email=test@example.com', ...args], {
      cwd: repo,
      env: { PATH: process.env.PATH, HOME: dir, GIT_CONFIG_NOSYSTEM: '1' },
    });
  git('init', '-q', '-b', 'main');
  writeFileSync(path.join(repo, 'README.md'), '# sample\n');
  git('add', '-A');
  git('commit', '-q', '-m', 'initial');
  return repo;
}

/** Starts the server; the project `sample` is registered. */
export async function startLiveApp(opts: { config?: ConfigInput } = {}): Promise<LiveApp> {
  const fake = await startFakeAnthropic();
  const dir = mkdtempSync(path.join(os.tmpdir(), 'gluon-live-'));
  const home = path.join(dir, 'home');
  mkdirSync(path.join(home, 'worktrees'), { recursive: true });
  mkdirSync(path.join(dir, 'agent-home'));
  const repo = makeRepo(dir);
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: path.join(dir, 'agent-home'),
    LANG: 'C.UTF-8',
    ANTHROPIC_BASE_URL: fake.url,
    ANTHROPIC_API_KEY: 'sk-ant-api03-testkey-0123456789abcdefghijklmnop',
    CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1',
    DISABLE_AUTOUPDATER: '1',
  };
  const config = loadConfig(home, { port: 0, ...opts.config }, env);
  const storage = await openStorage(path.join(home, 'gluon.db'));
  const logs: LiveApp['logs'] = [];
  const log = (msg: string, err?: unknown) => void logs.push({ msg, err });
  const token = randomBytes(32).toString('hex');
  const agent = createClaudeAgent({ executable: config.claudeExecutable, killAfterMs: config.killAfterMs });
  const agents = { get: () => agent };
  const services = createServices({ config, storage, agents, serverEnv: env, secrets: [token], log });
  let port = 0;
  const app = await buildApp({
    services,
    token,
    home,
    env,
    demo: false,
    models: config.models,
    allowedHosts: [],
    version: 'test',
    log,
    port: () => port,
  });
  await app.listen({ host: '127.0.0.1', port: 0 });
  port = (app.server.address() as net.AddressInfo).port;
  await services.projects.add({ path: repo, name: 'sample' });
  return {
    app,
    port,
    url: `http://127.0.0.1:${port}`,
    token,
    home,
    repo,
    services,
    storage,
    logs,
    send: (method, target, headers = {}, body) =>
      rawRequest(port, requestText(method, target, { host: `127.0.0.1:${port}`, ...headers }, body)),
    async close() {
      services.scheduler.stop();
      services.runs.clearWaits();
      await services.runs.shutdown();
      await services.events.flush();
      await app.close();
      await storage.close();
      await fake.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
