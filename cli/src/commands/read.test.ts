import { describe, expect, it } from 'vitest';
import { useFakeApi } from '../testing/fake-api.js';
import { buildTask } from '../testing/fixtures.js';
import { runGluon } from '../testing/run-cli.js';

const fake = useFakeApi();

const tasks = [
  buildTask({ id: 'aaaa1111', status: 'running', title: 'Fix auth', costUsd: 0.0123 }),
  buildTask({
    id: 'bbbb2222',
    status: 'review',
    profile: 'deep',
    inputRequired: true,
    title: 'Refactor',
    costUsd: 1.5,
  }),
  buildTask({ id: 'cccc3333', status: 'running', health: 'red', title: 'Tests', costUsd: 0 }),
];

describe('gluon ls', () => {
  it('prints an aligned table with the needs-input and health markers', async () => {
    fake.api.on('GET', '/api/tasks', { body: tasks });
    const result = await runGluon(['ls'], fake.env);
    expect(result.code).toBe(0);
    expect(result.stdout.split('\n')).toEqual([
      'ID        STATUS                PROFILE   PROJECT  COST     TITLE',
      'aaaa1111  running               standard  demo     $0.0123  Fix auth',
      'bbbb2222  review ! needs input  deep      demo     $1.50    Refactor',
      'cccc3333  running (stuck)       standard  demo     $0.00    Tests',
      '',
    ]);
  });

  it('passes the filters and prints raw JSON with --json', async () => {
    fake.api.on('GET', '/api/tasks', { body: tasks });
    const result = await runGluon(['ls', '--json', '--status', 'review', '--project', 'demo'], fake.env);
    expect(JSON.parse(result.stdout)).toEqual(tasks);
    expect(fake.api.requests[0]!.query).toEqual({ status: 'review', project: 'demo' });
  });

  it('colours only on a TTY and never with NO_COLOR', async () => {
    fake.api.on('GET', '/api/tasks', { body: tasks });
    const tty = await runGluon(['ls'], fake.env, { isTTY: true });
    const noColor = await runGluon(['ls'], { ...fake.env, NO_COLOR: '1' }, { isTTY: true });
    expect(tty.stdout).toContain('\u001b[');
    expect(noColor.stdout).not.toContain('\u001b[');
  });
});

describe('gluon show', () => {
  it('prints the raw task with --json', async () => {
    const task = buildTask({ stopReason: 'completed', sessionId: 's1', iterations: 2 });
    fake.api.on('GET', '/api/tasks/abcd', { body: task });
    const result = await runGluon(['show', 'abcd', '--json'], fake.env);
    expect(JSON.parse(result.stdout)).toEqual(task);
  });

  it('shows key: value lines and how to answer a pending question', async () => {
    const task = buildTask({
      status: 'review',
      stopReason: 'input_required',
      inputRequired: true,
      pendingInput: {
        requestId: 'q1',
        kind: 'question',
        live: false,
        questions: [{ question: 'Which DB?', options: [{ label: 'SQLite' }] }],
        createdAt: '2025-01-01T00:00:00.000Z',
      },
    });
    fake.api.on('GET', '/api/tasks/abcd', { body: task });
    const { stdout, code } = await runGluon(['show', 'abcd'], fake.env);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^id: +abcd1234ef$/m);
    expect(stdout).toMatch(/^status: +review ! needs input$/m);
    expect(stdout).toMatch(/^branch: +gluon-task\/abcd1234ef \(from main\)$/m);
    expect(stdout).toMatch(/^stop reason: +input_required$/m);
    expect(stdout).toContain(
      '[question] Which DB?\n    1. SQLite\n  answer: gluon answer abcd1234ef <text...>',
    );
  });

  it('shows how to approve or deny a pending approval', async () => {
    const task = buildTask({
      inputRequired: true,
      pendingInput: {
        requestId: 'a1',
        kind: 'approval',
        live: true,
        toolName: 'Bash',
        toolInput: { command: 'git push --force' },
        createdAt: '2025-01-01T00:00:00.000Z',
      },
    });
    fake.api.on('GET', '/api/tasks/abcd', { body: task });
    const { stdout } = await runGluon(['show', 'abcd'], fake.env);
    expect(stdout).toContain('[approval] Bash waits for approval: git push --force');
    expect(stdout).toContain('approve: gluon approve abcd1234ef');
    expect(stdout).toContain('deny:    gluon deny abcd1234ef [reason]');
  });

  it('exits 1 with the server message for an unknown or ambiguous id', async () => {
    fake.api.on('GET', '/api/tasks/abcd', {
      status: 409,
      body: { error: { code: 'ambiguous_id', message: 'abcd is ambiguous' } },
    });
    expect(await runGluon(['show', 'abcd'], fake.env)).toEqual({
      code: 1,
      stdout: '',
      stderr: 'gluon: abcd is ambiguous (ambiguous_id, HTTP 409)\n',
    });
    const missing = await runGluon(['show', 'zzzz'], fake.env);
    expect(missing.code).toBe(1);
  });
});
