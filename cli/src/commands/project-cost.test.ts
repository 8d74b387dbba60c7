import { describe, expect, it } from 'vitest';
import type { CostReport } from '../../../shared/governance-dto.js';
import { buildProjectDto } from '../../../shared/testing/build-project.js';
import { useFakeApi } from '../testing/fake-api.js';
import { runGluon } from '../testing/run-cli.js';

const fake = useFakeApi();

const project = buildProjectDto();

describe('gluon project', () => {
  it('add resolves the path against the current directory', async () => {
    fake.api.on('POST', '/api/projects', { status: 201, body: project });
    const result = await runGluon(
      ['project', 'add', '../demo', '--name', 'demo', '--workspace', 'team'],
      fake.env,
      {
        cwd: '/home/me/repo',
      },
    );
    expect(result.code).toBe(0);
    expect(fake.api.requests[0]!.body).toEqual({ path: '/home/me/demo', name: 'demo', workspace: 'team' });
    expect(result.stdout).toContain('added project demo (workspace default): /home/me/demo');
  });

  it('add --trust-repo-settings asks for it and says what it means', async () => {
    fake.api.on('POST', '/api/projects', { status: 201, body: { ...project, trustRepoSettings: true } });
    const result = await runGluon(['project', 'add', '/home/me/demo', '--trust-repo-settings'], fake.env);
    expect(result.code).toBe(0);
    expect(fake.api.requests[0]!.body).toEqual({ path: '/home/me/demo', trustRepoSettings: true });
    expect(result.stdout).toContain("agents load this repository's own .claude settings");
  });

  it('set turns the trust in the repository settings on and off', async () => {
    fake.api.on('PATCH', '/api/projects/demo', { body: project });
    const off = await runGluon(['project', 'set', 'demo', '--no-trust-repo-settings'], fake.env);
    expect(off.code).toBe(0);
    expect(fake.api.requests[0]!.body).toEqual({ trustRepoSettings: false });
    expect(off.stdout).toContain("agents ignore this repository's own .claude settings");
    await runGluon(['project', 'set', 'demo', '--trust-repo-settings'], fake.env);
    expect(fake.api.requests[1]!.body).toEqual({ trustRepoSettings: true });
  });

  it('ls prints a table or JSON', async () => {
    fake.api.on('GET', '/api/projects', { body: [project] });
    const table = await runGluon(['project', 'ls'], fake.env);
    expect(table.stdout).toBe(
      'NAME  WORKSPACE  BRANCH  REMOTE  PATH\ndemo  default    main    —       /home/me/demo\n',
    );
    const json = await runGluon(['project', 'ls', '--json'], fake.env);
    expect(JSON.parse(json.stdout)).toEqual([project]);
  });
});

describe('gluon cost', () => {
  const report: CostReport = {
    today: 0.5,
    week: 2,
    month: 10.25,
    total: 12,
    by: 'model',
    rows: [{ key: 'claude-sonnet-4-5', label: 'claude-sonnet-4-5', costUsd: 12, runs: 3 }],
    unpricedModels: ['claude-mystery'],
  };

  it('prints the totals, the breakdown and unpriced models', async () => {
    fake.api.on('GET', '/api/costs', { body: report });
    const result = await runGluon(['cost', '--by', 'model'], fake.env);
    expect(fake.api.requests[0]!.query).toEqual({ by: 'model' });
    expect(result.stdout.split('\n')).toEqual([
      'TODAY    THIS WEEK  THIS MONTH  TOTAL',
      '$0.5000  $2.00      $10.25      $12.00',
      '',
      'MODEL              COST    RUNS',
      'claude-sonnet-4-5  $12.00  3',
      'warning: model claude-mystery is not in the pricing table; its live cost is not estimated',
      '',
    ]);
  });

  it('prints the raw report with --json', async () => {
    fake.api.on('GET', '/api/costs', { body: report });
    const result = await runGluon(['cost', '--json'], fake.env);
    expect(JSON.parse(result.stdout)).toEqual(report);
    expect(fake.api.requests[0]!.query).toEqual({});
  });
});
