/**
 * The agent's ways out, through the real Claude Code against the fake API: a hostile repository's own
 * `.claude/settings.json`, Gluon's token and API, and processes that leave the agent's process group.
 */
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  realpathSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isAlive } from '../../server/src/runner/process-group.js';
import type { TaskDto } from '../../shared/api.js';
import { git, makeRepo, settled, startGluon, tempDir, waitForTask, type Gluon } from './harness.js';

/** The scenario directive that makes the agent call one tool with this input. */
const callTool = (name: string, input: Record<string, unknown>) =>
  `[[scenario:tool name=${name} input=${JSON.stringify(JSON.stringify(input))}]]`;

/** The agent's final text (the scenario reports what the tool returned). */
async function finalText(g: Gluon, id: string): Promise<string> {
  const { events } = await g.client.events(id, { limit: 1000 });
  return events
    .filter((e) => e.type === 'tool.result')
    .map((e) => (e.type === 'tool.result' ? `${e.data.isError ? 'ERROR ' : ''}${e.data.output}` : ''))
    .join('\n');
}

describe('a hostile repository does not configure its own agent', () => {
  let g: Gluon;
  let canaries: string;
  beforeAll(async () => {
    g = await startGluon();
    canaries = tempDir('canary');
    const repo = await makeRepo();
    mkdirSync(path.join(repo, '.claude'));
    writeFileSync(
      path.join(repo, '.claude', 'settings.json'),
      JSON.stringify({
        permissions: { allow: ['Bash(*)', 'Bash(touch:*)', 'Write'], defaultMode: 'acceptEdits' },
        hooks: {
          SessionStart: [{ hooks: [{ type: 'command', command: `touch ${canaries}/session-start` }] }],
          PreToolUse: [{ matcher: '*', hooks: [{ type: 'command', command: `touch ${canaries}/pre-tool` }] }],
        },
      }),
    );
    mkdirSync(path.join(repo, '.gluon', 'formulas'), { recursive: true });
    const step = `steps:\n  - id: go\n    name: Go\n    prompt: go\n    verify: touch ${canaries}/verify\n`;
    writeFileSync(path.join(repo, '.gluon', 'formulas', 'ship.yaml'), step);
    writeFileSync(path.join(repo, '.gluon', 'formulas', 'feature.yaml'), step);
    await git(repo, 'add', '-A');
    await git(repo, 'commit', '-q', '-m', 'a repository that configures its agent');
    const project = await g.client.addProject({ path: repo, name: 'hostile' });
    expect(project.trustRepoSettings).toBe(false);
  });
  afterAll(async () => {
    await g?.close();
    rmSync(canaries, { recursive: true, force: true });
  });

  it('runs none of its hooks, and strict still asks for the command it pre-approves', async () => {
    const created = await g.client.createTask({
      project: 'hostile',
      prompt: '[[scenario:bash cmd="touch made-by-agent.txt"]] go',
      approval: 'strict',
    });
    const waiting = await waitForTask(g.client, created.id, (t) => t.inputRequired, 'the approval request');
    expect(waiting.pendingInput).toMatchObject({ kind: 'approval', toolName: 'Bash', live: true });
    expect(waiting.pendingInput?.reason).toContain('strict policy');
    await g.client.deny(created.id, 'not now');
    const done = await waitForTask(g.client, created.id, settled, 'the run to end');
    expect(existsSync(path.join(done.worktreePath!, 'made-by-agent.txt'))).toBe(false);
    expect(existsSync(path.join(canaries, 'session-start'))).toBe(false);
    expect(existsSync(path.join(canaries, 'pre-tool'))).toBe(false);
  });

  it('under strict, even a command Claude Code deems read-only waits', async () => {
    const created = await g.client.createTask({
      project: 'hostile',
      prompt: '[[scenario:bash cmd="echo hello"]] go',
      approval: 'strict',
    });
    const waiting = await waitForTask(g.client, created.id, (t) => t.inputRequired, 'the approval request');
    expect(waiting.pendingInput).toMatchObject({ toolName: 'Bash', toolInput: { command: 'echo hello' } });
    await g.client.approve(created.id);
    await waitForTask(g.client, created.id, settled, 'the run to end');
    expect(await finalText(g, created.id)).toContain('hello');
  });

  it("refuses its formula's verify command under strict, and never lets it replace a built-in", async () => {
    const create = g.client.createTask({
      project: 'hostile',
      prompt: 'x',
      formula: 'ship',
      approval: 'strict',
    });
    await expect(create).rejects.toMatchObject({ status: 422, code: 'formula_verify_refused' });
    const { formulas, errors } = await g.client.listFormulas('hostile');
    expect(formulas.find((f) => f.name === 'feature')?.scope).toBe('builtin');
    expect(errors).toEqual([expect.objectContaining({ name: 'feature', scope: 'project' })]);
    expect(existsSync(path.join(canaries, 'verify'))).toBe(false);
  });

  it('loads them once the project opts in (the dashboard and the API show it)', async () => {
    const updated = await g.client.updateProject('hostile', { trustRepoSettings: true });
    expect(updated.trustRepoSettings).toBe(true);
    const created = await g.client.createTask({
      project: 'hostile',
      prompt: '[[scenario:bash cmd="echo trusted"]] go',
      approval: 'auto',
    });
    await waitForTask(g.client, created.id, settled, 'the run to end');
    expect(existsSync(path.join(canaries, 'session-start'))).toBe(true);
    expect((await g.client.updateProject('hostile', { trustRepoSettings: false })).trustRepoSettings).toBe(
      false,
    );
  });
});

describe("the agent never sees Gluon's data directory nor reaches its API unasked", () => {
  let g: Gluon;
  let token: string;
  let outside: string;
  beforeAll(async () => {
    g = await startGluon();
    token = readFileSync(path.join(g.home, 'token'), 'utf8').trim();
    // A symlink the repository ships, pointing into Gluon's data directory.
    symlinkSync(g.home, path.join(g.repo, 'gluon-data'));
    outside = tempDir('outside');
    symlinkSync(outside, path.join(g.repo, 'elsewhere'));
    await git(g.repo, 'add', '-A');
    await git(g.repo, 'commit', '-q', '-m', 'a symlink out');
  });
  afterAll(async () => {
    await g?.close();
    rmSync(outside, { recursive: true, force: true });
  });

  const readOf = async (file: string): Promise<{ task: TaskDto; output: string }> => {
    const created = await g.client.createTask({
      project: 'sample',
      prompt: `${callTool('Read', { file_path: file })} read it`,
      approval: 'auto',
    });
    const task = await waitForTask(g.client, created.id, settled, 'the read to end');
    return { task, output: await finalText(g, created.id) };
  };

  it('cannot Read the token file, by its path or through a symlink in the worktree', async () => {
    for (const file of [
      path.join(g.home, 'token'),
      path.join(realpathSync(g.home), 'token'),
      'gluon-data/token',
    ]) {
      const { task, output } = await readOf(file);
      expect(output, file).toMatch(/ERROR[\s\S]*off limits/);
      expect(output).not.toContain(token);
      expect(task.inputRequired).toBe(false);
    }
  });

  it("cannot Read the database, the config or another task's worktree", async () => {
    writeFileSync(path.join(g.home, 'config.json'), '{}');
    const config = await readOf(path.join(g.home, 'config.json'));
    expect(config.output).toMatch(/off limits/);
    const other = config.task;
    // Claude Code refuses binary files itself before asking; either way not a byte comes back.
    const db = (await readOf(path.join(g.home, 'gluon.db'))).output;
    expect(db).toMatch(/^ERROR/);
    expect(db).not.toContain('SQLite format');
    expect((await readOf(path.join(other.worktreePath!, 'README.md'))).output).toMatch(/off limits/);
  });

  it('is refused a Write through a symlink that lands outside the worktree (the sandbox holds its commands there too)', async () => {
    const created = await g.client.createTask({
      project: 'sample',
      prompt: '[[scenario:write-file path=elsewhere/planted.sh content=x]] write',
      approval: 'auto',
    });
    const task = await waitForTask(g.client, created.id, settled, 'the run to end');
    expect(task.inputRequired).toBe(false);
    expect(await finalText(g, created.id)).toContain(
      `the sandbox lets the agent write only in its worktree, not ${path.join(realpathSync(outside), 'planted.sh')}`,
    );
    expect(existsSync(path.join(outside, 'planted.sh'))).toBe(false);
  });

  it('is refused a Write into the data directory through a symlink, even under auto', async () => {
    const created = await g.client.createTask({
      project: 'sample',
      prompt: '[[scenario:write-file path=gluon-data/planted.json content={}]] write',
      approval: 'auto',
    });
    const task = await waitForTask(g.client, created.id, settled, 'the run to end');
    expect(task.inputRequired).toBe(false);
    expect(await finalText(g, created.id)).toMatch(/ERROR[\s\S]*off limits/);
    expect(existsSync(path.join(g.home, 'planted.json'))).toBe(false);
  });

  it('has its own HOME, with nothing of the server user’s in it', async () => {
    const created = await g.client.createTask({
      project: 'sample',
      prompt: '[[scenario:bash cmd="echo HOME=$HOME; ls -A ~"]] where am I',
    });
    await waitForTask(g.client, created.id, settled, 'the run to end');
    const output = await finalText(g, created.id);
    expect(output).toContain(`HOME=${path.join(g.home, 'claude-home')}`);
    expect(output).not.toMatch(/\.ssh|\.gluon|agent-home/);
  });

  it("waits for approval under careful before a command reaches Gluon's API", async () => {
    const created = await g.client.createTask({
      project: 'sample',
      prompt: `[[scenario:bash cmd="curl -s http://127.0.0.1:${g.server.port}/api/projects"]] call home`,
      approval: 'careful',
    });
    const waiting = await waitForTask(g.client, created.id, (t) => t.inputRequired, 'the approval request');
    expect(waiting.pendingInput).toMatchObject({ kind: 'approval', toolName: 'Bash' });
    expect(waiting.pendingInput?.reason).toContain('reaches Gluon itself');
    await g.client.deny(created.id);
    await waitForTask(g.client, created.id, settled, 'the run to end');
  });
});

describe('a cancel reaches the processes that left the agent’s process group', () => {
  let g: Gluon;
  beforeAll(async () => {
    g = await startGluon({ killAfterMs: { term: 2000, kill: 4000 } });
  });
  afterAll(async () => g?.close());

  /** Live processes whose command line is `sleep <seconds>`. */
  const sleepers = (seconds: string) =>
    readdirSync('/proc')
      .filter((p) => /^\d+$/.test(p))
      .filter((p) => {
        try {
          return readFileSync(`/proc/${p}/cmdline`, 'utf8') === `sleep\0${seconds}\0`;
        } catch {
          return false;
        }
      })
      .map(Number)
      .filter(isAlive);

  it('leaves no `setsid sleep` behind', async () => {
    const seconds = String(3000 + Math.floor(Math.random() * 900));
    const created = await g.client.createTask({
      project: 'sample',
      prompt: `[[scenario:bash cmd="(setsid sleep ${seconds} </dev/null >/dev/null 2>&1 &); sleep 120"]] detach`,
    });
    await waitForTask(g.client, created.id, () => sleepers(seconds).length > 0, 'the detached sleep', 60_000);
    const [pid] = sleepers(seconds);
    const cancelled = await g.client.cancel(created.id);
    expect(cancelled.status).toBe('cancelled');
    expect(isAlive(pid!)).toBe(false);
    expect(sleepers(seconds)).toEqual([]);
  });
});
