import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startFakeApi, type FakeApi } from './testing/fake-api.js';
import { buildTask } from './testing/fixtures.js';
import { runGluon } from './testing/run-cli.js';

let api: FakeApi;
let env: NodeJS.ProcessEnv;
beforeEach(async () => {
  api = await startFakeApi();
  env = { GLUON_URL: api.url, GLUON_TOKEN: 'tok', GLUON_HOME: '/nonexistent' };
});
afterEach(async () => {
  await api.close();
});

const gluon = (...argv: string[]) => runGluon(argv, env);

describe('task create', () => {
  it('maps every flag to the request body and prints only the id', async () => {
    api.on('POST', '/api/tasks', { status: 201, body: buildTask({ id: 'newtask01' }) });
    const result = await gluon(
      ...['task', 'create', '--project', 'demo', '--profile', 'deep', '--agent', 'codex'],
      ...['--no-worktree', '--max-cost', '2.5'],
      ...['--ralph', '--max-iterations', '7', '--verify', 'npm test', '--formula', 'feature'],
      ...['--var', 'area=auth', '--var', 'q=a=b', '--approval', 'careful'],
      ...['--title', 'Auth', 'fix', 'the', 'auth bug'],
    );
    expect(result).toEqual({ code: 0, stdout: 'newtask01\n', stderr: '' });
    expect(api.requests).toHaveLength(1);
    expect(api.requests[0]!.headers.authorization).toBe('Bearer tok');
    expect(api.requests[0]!.body).toEqual({
      project: 'demo',
      prompt: 'fix the auth bug',
      title: 'Auth',
      profile: 'deep',
      agent: 'codex',
      worktree: false,
      maxCostUsd: 2.5,
      approval: 'careful',
      ralph: true,
      maxIterations: 7,
      verify: 'npm test',
      formula: 'feature',
      vars: { area: 'auth', q: 'a=b' },
    });
  });

  it('sends only the project and prompt when no flag is given', async () => {
    api.on('POST', '/api/tasks', { status: 201, body: buildTask() });
    const result = await gluon('task', 'create', '--project', 'demo', 'write', 'tests');
    expect(result.code).toBe(0);
    expect(api.requests[0]!.body).toEqual({ project: 'demo', prompt: 'write tests' });
  });

  it('prints the server error and exits 1 when the server refuses', async () => {
    api.on('POST', '/api/tasks', {
      status: 404,
      body: { error: { code: 'not_found', message: 'no project nope' } },
    });
    const result = await gluon('task', 'create', '--project', 'nope', 'x');
    expect(result).toEqual({ code: 1, stdout: '', stderr: 'gluon: no project nope (not_found, HTTP 404)\n' });
  });
});

describe('usage errors exit 2 with one line on stderr and no request', () => {
  it.each([
    [['task', 'create', '--project', 'demo', '--profile', 'huge', 'x'], /huge/],
    [['task', 'create', '--project', 'demo', '--max-cost', 'lots', 'x'], /max-cost/],
    [['task', 'create', '--project', 'demo', '--max-cost', '-1', 'x'], /max-cost/],
    [['task', 'create', '--project', 'demo', '--max-iterations', '0', 'x'], /max-iterations/],
    [['task', 'create', '--project', 'demo', '--max-iterations', '2.5', 'x'], /max-iterations/],
    [['task', 'create', '--project', 'demo', '--var', 'novalue', '--formula', 'f', 'x'], /key=value/],
    [['task', 'create', '--project', 'demo', '--var', 'a=b', 'x'], /--var needs --formula/],
    [['task', 'create', '--project', 'demo', '--approval', 'yolo', 'x'], /yolo/],
    [['task', 'create', '--project', 'demo', '--agent', 'gemini', 'x'], /gemini.*claude, codex/],
    [['task', 'create', 'x'], /--project/],
    [['task', 'create', '--project', 'demo'], /prompt/],
    [['frobnicate'], /unknown command/],
    [['ls', '--bogus'], /unknown option/],
    [['ls', '--status', 'sleeping'], /sleeping/],
    [['move', 'abcd', 'sideways'], /sideways/],
    [['cost', '--by', 'year'], /year/],
    [['show'], /missing required argument/],
    [['approve', 'abcd', 'extra'], /too many arguments/],
    [['--server', 'not a url', 'ls'], /invalid server URL/],
  ])('gluon %j', async (argv, message) => {
    const result = await gluon(...argv);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(message);
    expect(result.stderr).toMatch(/^gluon: /);
    expect(result.stderr).not.toMatch(/\n\s+at /);
    expect(api.requests).toHaveLength(0);
  });

  it('prints help and exits 0 for --help', async () => {
    const result = await gluon('task', 'create', '--help');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('--max-iterations');
  });
});

describe('server and token', () => {
  it('exits 1 with a clear message when the server is unreachable', async () => {
    await api.close();
    api = await startFakeApi();
    const url = api.url;
    await api.close();
    const result = await runGluon(['ls'], { ...env, GLUON_URL: url });
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      `gluon: cannot reach the Gluon server at ${url} — is \`gluon serve\` running?\n`,
    );
    api = await startFakeApi();
  });

  it('reads the token from $GLUON_HOME/token and --server beats GLUON_URL', async () => {
    const home = mkdtempSync(join(tmpdir(), 'gluon-cli-'));
    writeFileSync(join(home, 'token'), 'filetoken\n', { mode: 0o600 });
    api.on('GET', '/api/tasks', { body: [] });
    const result = await runGluon(['ls', '--server', api.url], {
      GLUON_HOME: home,
      GLUON_URL: 'http://127.0.0.1:1',
    });
    expect(result).toEqual({ code: 0, stdout: 'no tasks\n', stderr: '' });
    expect(api.requests[0]!.headers.authorization).toBe('Bearer filetoken');
  });

  it('explains a 401', async () => {
    api.on('GET', '/api/tasks', {
      status: 401,
      body: { error: { code: 'unauthorized', message: 'bad token' } },
    });
    const result = await gluon('ls');
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^gluon: unauthorized: .*GLUON_TOKEN/);
  });
});
