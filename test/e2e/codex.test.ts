/**
 * End to end with the second agent: `gluon serve` and the CLI, the real Codex CLI against the fake OpenAI
 * Responses API (and the real Claude Code beside it), real git. A task created with `--agent codex` runs
 * Codex in its worktree, reaches review with its work committed on the task's branch, asks a question at
 * the end of its turn and continues the same Codex thread with the answer.
 */
import type { ChildProcess } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeAnthropic, type FakeAnthropic } from '../../fakes/anthropic/index.js';
import { ASK_TEXT, startFakeOpenAi, type FakeOpenAi } from '../../fakes/openai/index.js';
import { startStrayTrafficTrap, type StrayTrafficTrap } from '../../fakes/openai/stray-traffic.js';
import { isAlive } from '../../server/src/runner/process-group.js';
import { processesIn } from '../../server/src/runner/testing/codex-harness.js';
import type { AgentDto, TaskDto } from '../../shared/api.js';
import { createClient, type GluonClient } from '../../shared/client.js';
import {
  OPENAI_KEY,
  agentEnv,
  cli,
  freePort,
  git,
  makeRepo,
  settled,
  spawnServe,
  tempDir,
  waitForTask,
} from './harness.js';

describe('a task run by the real Codex CLI through gluon serve and the CLI', () => {
  let anthropic: FakeAnthropic;
  let openai: FakeOpenAi;
  let trap: StrayTrafficTrap;
  let home: string;
  let repo: string;
  let server: ChildProcess;
  let client: GluonClient;
  let env: NodeJS.ProcessEnv;
  let serveEnv: NodeJS.ProcessEnv;
  let port: number;

  beforeAll(async () => {
    anthropic = await startFakeAnthropic();
    openai = await startFakeOpenAi({ apiKey: OPENAI_KEY });
    trap = await startStrayTrafficTrap();
    home = tempDir('codex');
    repo = await makeRepo();
    // Quick tasks run on Codex unless they say otherwise; a scripted failure fails at once.
    writeFileSync(
      path.join(home, 'config.json'),
      JSON.stringify({ agents: { quick: 'codex' }, codex: { requestMaxRetries: 0, streamMaxRetries: 0 } }),
    );
    port = await freePort();
    serveEnv = { ...agentEnv(anthropic, home, openai), ...trap.env };
    server = await spawnServe(home, serveEnv, port);
    const baseUrl = `http://127.0.0.1:${port}`;
    client = createClient({ baseUrl, token: readFileSync(path.join(home, 'token'), 'utf8').trim() });
    await client.addProject({ path: repo, name: 'sample' });
    env = { PATH: process.env.PATH, HOME: home, GLUON_URL: baseUrl, GLUON_HOME: home, NO_COLOR: '1' };
  });

  afterAll(async () => {
    if (server?.exitCode === null) {
      server.kill('SIGTERM');
      await new Promise((r) => server.once('exit', r));
    }
    await Promise.all([anthropic?.close(), openai?.close(), trap?.close()]);
    rmSync(home, { recursive: true, force: true });
    rmSync(repo, { recursive: true, force: true });
  });

  const show = async (id: string): Promise<TaskDto> => {
    const shown = await cli(['show', id, '--json'], env);
    expect(shown.code, shown.stderr).toBe(0);
    return JSON.parse(shown.stdout) as TaskDto;
  };

  it('runs `--agent codex` to review with its file committed on the task branch', async () => {
    const prompt = '[[scenario:write-file path=hello.txt content="Hello from Codex"]] Create hello.txt';
    const created = await cli(['task', 'create', '--project', 'sample', '--agent', 'codex', prompt], env);
    expect(created.code, created.stderr).toBe(0);
    const id = created.stdout.trim();

    const logs = await cli(['logs', id, '-f'], env);
    expect(logs.code, logs.stderr).toBe(0);
    expect(logs.stdout).toMatch(/\[tool\] Bash: printf/);
    expect(logs.stdout).toMatch(/Wrote hello\.txt\./);

    const task = await show(id);
    expect(task).toMatchObject({
      agent: 'codex',
      model: 'gpt-5.5',
      status: 'review',
      stopReason: 'completed',
      branch: `gluon-task/${id}`,
    });
    expect(task.sessionId).toMatch(/^[0-9a-f-]{36}$/);
    // Two responses at gpt-5.5 prices: 2 × (600 × $5 + 400 × $0.50 + 100 × $30) per million.
    expect(task.costUsd).toBeCloseTo(0.0124, 6);
    expect(openai.requests.filter((r) => r.sessionId === task.sessionId)).toHaveLength(2);
    expect(anthropic.requests).toEqual([]);

    expect(await git(repo, 'show', `${task.branch}:hello.txt`)).toBe('Hello from Codex');
    expect(await git(repo, 'log', '-1', '--format=%B', task.branch!)).toContain(`Gluon-Task: ${id}`);
    expect(await git(repo, 'status', '--porcelain')).toBe('');
    const { events } = await client.events(id, { limit: 10_000 });
    expect(events.some((e) => e.type === 'run.session' && e.data.sessionId === task.sessionId)).toBe(true);
    expect(JSON.stringify(events)).not.toContain(OPENAI_KEY);
  });

  it('asks at the end of its turn; the answer continues the same Codex thread', async () => {
    const created = await cli(
      ['task', 'create', '--project', 'sample', '--agent', 'codex', '[[scenario:ask]] Format it'],
      env,
    );
    const id = created.stdout.trim();
    const asked = await waitForTask(client, id, settled, 'the question');
    expect(asked).toMatchObject({ status: 'review', inputRequired: true });
    expect(asked.pendingInput?.text ?? '').toContain(ASK_TEXT.split('. ')[1]!);

    const answered = await cli(['answer', id, 'Tabs,', 'please.'], env);
    expect(answered.code, answered.stderr).toBe(0);
    const done = await waitForTask(
      client,
      id,
      (t) => settled(t) && !t.inputRequired,
      'the answer to be used',
    );
    expect(done).toMatchObject({ status: 'review', stopReason: 'completed', sessionId: asked.sessionId });
    expect(await git(repo, 'show', `${done.branch}:reply.txt`)).toContain('Tabs, please.');
    const runs = await client.runs(id);
    expect(runs.map((r) => r.sessionId)).toEqual([asked.sessionId, asked.sessionId]);
    // Each run pays for its own responses only, though Codex reports the thread's total.
    expect(runs[1]!.costUsd).toBeCloseTo(0.0124, 6);
    expect(done.costUsd).toBeCloseTo(0.0186, 6);
  });

  it('runs a profile configured for Codex on it, and refuses what Codex cannot hold', async () => {
    const quick = await cli(
      ['task', 'create', '--project', 'sample', '--profile', 'quick', '--json', '[[scenario:think]] Why?'],
      env,
    );
    expect(quick.code, quick.stderr).toBe(0);
    const task = JSON.parse(quick.stdout) as TaskDto;
    expect(task).toMatchObject({ agent: 'codex', model: 'gpt-5.4-mini' });
    expect(await waitForTask(client, task.id, settled, 'the quick task')).toMatchObject({ status: 'review' });

    const careful = await cli(
      ['task', 'create', '--project', 'sample', '--agent', 'codex', '--approval', 'careful', 'x'],
      env,
    );
    expect(careful.code).toBe(1);
    expect(careful.stderr).toMatch(/cannot wait for approval.*invalid_input, HTTP 400/);
    const planning = await cli(
      ['task', 'create', '--project', 'sample', '--profile', 'planning', '--agent', 'codex', 'x'],
      env,
    );
    expect(planning.code).toBe(1);
    expect(planning.stderr).toMatch(/no plan mode/);

    const agents: AgentDto[] = await client.agents();
    const codex = agents.find((a) => a.name === 'codex');
    expect(codex).toMatchObject({
      capabilities: { approvals: false, questions: false, planMode: false, images: true },
    });
    expect(codex?.lacks.join(' ')).toMatch(/No approvals/);
    expect(agents.find((a) => a.name === 'claude')?.lacks).toEqual([]);
    expect(trap.hits).toEqual([]);
  });

  it('after kill -9 of the server, nothing its Codex started survives, and the task resumes the thread', async () => {
    const created = await client.createTask({
      project: 'sample',
      agent: 'codex',
      prompt: '[[scenario:slow-shell secs=20]] Take your time',
    });
    // Codex, its sandbox and the command, each command in a session of its own.
    const running = await waitForTask(
      client,
      created.id,
      (t) =>
        t.status === 'running' &&
        t.sessionId !== null &&
        !!t.worktreePath &&
        processesIn(t.worktreePath).length >= 4,
      'the command to run',
    );
    const before = processesIn(running.worktreePath!);
    server.kill('SIGKILL');
    await new Promise((r) => server.once('exit', r));
    server = await spawnServe(home, serveEnv, port);
    for (const pid of before) expect(isAlive(pid), `process ${pid} survived the restart`).toBe(false);
    const resumed = await waitForTask(
      client,
      created.id,
      (t) => t.status === 'running' && t.health !== null,
      'the task to resume',
      20_000,
    );
    expect(resumed.sessionId).toBe(running.sessionId);
    const runs = await client.runs(created.id);
    expect(runs.map((r) => [r.kind, r.stopReason, r.sessionId])).toEqual([
      ['initial', 'interrupted', running.sessionId],
      ['resume', null, running.sessionId],
    ]);
    await client.cancel(created.id);
    expect(await waitForTask(client, created.id, settled, 'the cancel')).toMatchObject({
      status: 'cancelled',
    });
    expect(processesIn(running.worktreePath!)).toEqual([]);
  });
});
