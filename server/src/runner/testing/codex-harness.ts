/**
 * Test helper: the Codex agent wired to the fake OpenAI Responses API — a fake on loopback, a trap for
 * stray traffic, a private Codex home, git workspaces — plus hooks that record what an agent reports and
 * the prompts that script each behaviour. Any suite that drives an `Agent` (this adapter's tests, the
 * shared agent contract) gets a Codex run from it in a few lines: start the harness, hand the contract
 * `agent`, `workspace()`, `request(prompt, cwd, over)` and the prompts of `codexScript` (whose scenario
 * names are the ones fakes/anthropic uses too), close it after. Not a product module.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readlinkSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { NewEvent } from '../../../../shared/events.js';
import { startFakeOpenAi, type FakeOpenAi } from '../../../../fakes/openai/index.js';
import { startStrayTrafficTrap, type StrayTrafficTrap } from '../../../../fakes/openai/stray-traffic.js';
import type { Agent, AgentHooks, AgentRunRequest, ModelCost, ToolDecision } from '../agent.js';
import { createCodexAgent, type CodexAgentOptions } from '../codex-agent.js';

export const CODEX_TEST_MODEL = 'gpt-5.5';
export const CODEX_TEST_KEY = 'sk-proj-gluon-fake-0123456789abcdef';

/** Prompts that make the fake model do one thing (see fakes/openai/README.md). */
export const codexScript = {
  writeFile: (file: string, content: string) =>
    `[[scenario:write-file path=${JSON.stringify(file)} content=${JSON.stringify(content)}]] Write ${file}.`,
  shell: (cmd: string) => `[[scenario:shell cmd=${JSON.stringify(cmd)}]] Run a command.`,
  text: (text: string) => `[[scenario:text text=${JSON.stringify(text)}]] Answer.`,
  ask: () => '[[scenario:ask]] Set up the formatter.',
  slowShell: (secs: number) => `[[scenario:slow-shell secs=${secs}]] Do something slow.`,
  fail: (status: number, extra = '') => `[[scenario:fail status=${status}${extra ? ` ${extra}` : ''}]] Fail.`,
  hang: () => '[[scenario:hang]] Think forever.',
  loopForever: () => '[[scenario:loop-forever delay=50]] Keep going.',
} as const;

export interface CodexHarness {
  agent: Agent;
  fake: FakeOpenAi;
  trap: StrayTrafficTrap;
  /** The Codex home the agent uses. */
  home: string;
  /** A fresh git repository to work in. */
  workspace(): Promise<string>;
  /** A complete run request for `prompt` in `cwd` (the environment a server would give it). */
  request(prompt: string, cwd: string, over?: Partial<AgentRunRequest>): AgentRunRequest;
  close(): Promise<void>;
}

/** Starts the fake, the trap and an agent over a private home; `options` adjust the agent. */
export async function startCodexHarness(options: Partial<CodexAgentOptions> = {}): Promise<CodexHarness> {
  const fake = await startFakeOpenAi({ apiKey: CODEX_TEST_KEY });
  const trap = await startStrayTrafficTrap();
  const root = await mkdtemp(path.join(tmpdir(), 'gluon-codex-'));
  const home = path.join(root, 'codex-home');
  const agent = createCodexAgent({
    home,
    baseUrl: fake.baseUrl,
    apiKey: CODEX_TEST_KEY,
    sandbox: 'workspace-write',
    networkAccess: false,
    requestMaxRetries: 0,
    streamMaxRetries: 0,
    killAfterMs: { term: 2000, kill: 4000 },
    pollMs: 100,
    ...options,
  });
  let n = 0;
  return {
    agent,
    fake,
    trap,
    home,
    async workspace() {
      const dir = path.join(root, `ws-${++n}`);
      await mkdir(dir, { recursive: true });
      execFileSync('git', ['init', '-q', '-b', 'main', dir]);
      return dir;
    },
    request: (prompt, cwd, over = {}) => ({
      prompt,
      cwd,
      model: CODEX_TEST_MODEL,
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: root, LANG: 'C.UTF-8', ...trap.env },
      ...over,
    }),
    async close() {
      await fake.close();
      await trap.close();
      await rm(root, { recursive: true, force: true });
    },
  };
}

/** Hooks that record everything an agent reports; tool requests are allowed unless `decide` says otherwise. */
export function recordingHooks(decide?: (name: string) => ToolDecision) {
  const events: NewEvent[] = [];
  const sessions: string[] = [];
  const costs: { runCostUsd: number; byModel: ModelCost[]; unknownModel?: string }[] = [];
  const pids: number[] = [];
  const toolRequests: string[] = [];
  const hooks: AgentHooks = {
    onEvent: (e) => events.push(e),
    onSession: (id) => sessions.push(id),
    onCost: (c) => costs.push(c),
    onProcess: (pid) => pids.push(pid),
    onToolRequest: async (req) => {
      toolRequests.push(req.name);
      return decide?.(req.name) ?? { allow: true };
    },
  };
  return { hooks, events, sessions, costs, pids, toolRequests };
}

/** Pids of live processes whose working directory is `dir` (an agent and the commands it runs there). */
export function processesIn(dir: string): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readlinkSync(`/proc/${entry}/cwd`) === dir) pids.push(Number(entry));
    } catch {
      // Gone, or not ours to read.
    }
  }
  return pids;
}
