/**
 * Runs the real Codex CLI (`codex exec --json`, through the npm package's own launcher) against a fake
 * OpenAI URL, with a scratch CODEX_HOME whose config.toml names the fake as the model provider and turns
 * off everything that would reach another host. Used by this folder's tests; the adapter in
 * server/src/runner/codex-agent.ts does the same for Gluon.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

export interface RunCodexOptions {
  /** The fake's `baseUrl` (`<url>/v1`). */
  baseUrl: string;
  cwd: string;
  /** Scratch CODEX_HOME (threads live here, so resume needs the same one). */
  home: string;
  prompt: string;
  model?: string;
  /** Continue this thread (`codex exec resume <id>`). */
  resume?: string;
  apiKey?: string;
  /** Extra environment, e.g. proxies that catch stray traffic. */
  env?: Record<string, string>;
}

export interface CodexRun {
  /** The JSONL events, in order. */
  events: Record<string, unknown>[];
  exitCode: number | null;
  stderr: string;
  threadId: string | null;
}

/**
 * A config.toml for the fake: a provider with no retries (a scripted failure fails at once), no update
 * check, no analytics, no plugins (they sync from chatgpt.com and github.com), no web search.
 */
export function fakeProviderConfig(baseUrl: string, model = 'gpt-5.5'): string {
  return [
    `model = ${JSON.stringify(model)}`,
    'model_provider = "fake"',
    'check_for_update_on_startup = false',
    'web_search = "disabled"',
    '',
    '[model_providers.fake]',
    'name = "Fake OpenAI"',
    `base_url = ${JSON.stringify(baseUrl)}`,
    'env_key = "FAKE_OPENAI_API_KEY"',
    'wire_api = "responses"',
    'request_max_retries = 0',
    'stream_max_retries = 0',
    '',
    '[analytics]',
    'enabled = false',
    '',
    '[features]',
    'plugins = false',
    '',
  ].join('\n');
}

/** Runs one `codex exec` to its end and collects its events; never throws. */
export function runCodex(opts: RunCodexOptions): Promise<CodexRun> {
  mkdirSync(opts.home, { recursive: true });
  writeFileSync(path.join(opts.home, 'config.toml'), fakeProviderConfig(opts.baseUrl, opts.model));
  // Codex will not create its sandbox helpers in a CODEX_HOME under the temporary directory.
  const tmp = path.join(opts.home, 'tmp-agent');
  mkdirSync(tmp, { recursive: true });
  const launcher = createRequire(import.meta.url).resolve('@openai/codex/bin/codex.js');
  const sub = opts.resume ? ['resume', '--json', opts.resume, '-'] : ['--json', '-'];
  const args = [launcher, 'exec', '--strict-config', '-c', 'sandbox_mode="workspace-write"', ...sub];
  const child = spawn(process.execPath, args, {
    cwd: opts.cwd,
    env: {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      HOME: opts.home,
      CODEX_HOME: opts.home,
      TMPDIR: tmp,
      FAKE_OPENAI_API_KEY: opts.apiKey ?? 'sk-fake-openai',
      ...opts.env,
    },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  child.stdin.end(opts.prompt);
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString('utf8')));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString('utf8')));
  return new Promise((resolve) => {
    child.once('close', (exitCode) => {
      const events = stdout
        .split('\n')
        .filter((l) => l.startsWith('{'))
        .map((l) => JSON.parse(l) as Record<string, unknown>);
      const started = events.find((e) => e.type === 'thread.started');
      resolve({ events, exitCode, stderr, threadId: (started?.thread_id as string | undefined) ?? null });
    });
  });
}
