import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ProjectDto } from '../../../shared/api.js';
import type { FormulaDto, FormulaListDto } from '../../../shared/client.js';
import { startFakeApi, type FakeApi } from '../testing/fake-api.js';
import { runGluon } from '../testing/run-cli.js';
import { projectFor } from './formula.js';

let api: FakeApi;
let env: NodeJS.ProcessEnv;
beforeEach(async () => {
  api = await startFakeApi();
  env = { GLUON_URL: api.url, GLUON_TOKEN: 'tok' };
  api.on('GET', '/api/projects', {
    body: [project('shop', '/home/me/repo'), project('lib', '/home/me/repo/lib')],
  });
});
afterEach(async () => {
  await api.close();
});

function project(name: string, path: string): ProjectDto {
  return {
    id: `id-${name}`,
    name,
    workspace: 'default',
    path,
    defaultBranch: 'main',
    remote: null,
    github: null,
    maxCostPerDayUsd: null,
    maxCostPerMonthUsd: null,
    trustRepoSettings: false,
    createdAt: '',
  };
}

const feature: FormulaDto = {
  name: 'feature',
  description: 'Plan, implement, test and review a feature.',
  scope: 'project',
  file: '.gluon/formulas/feature.yaml',
  shadows: ['builtin'],
  variables: [
    { name: 'area', description: 'Where to work', required: true, default: null },
    { name: 'style', description: null, required: false, default: 'terse' },
  ],
  steps: [
    {
      id: 'plan',
      name: 'Plan',
      prompt: 'Plan {{prompt}}.\nIn {{area}}.\n',
      profile: 'deep',
      dependsOn: [],
      gate: { message: 'Approve the plan' },
      verify: null,
    },
    {
      id: 'build',
      name: 'Implement',
      prompt: 'Build it.',
      profile: 'standard',
      dependsOn: ['plan'],
      gate: null,
      verify: 'npm test',
    },
  ],
};
const bugfix: FormulaDto = {
  ...feature,
  name: 'bugfix',
  scope: 'builtin',
  file: 'built-in bugfix.yaml',
  shadows: [],
  description: 'Fix a bug.',
  steps: feature.steps.slice(0, 1),
};
const list: FormulaListDto = {
  formulas: [bugfix, feature],
  errors: [
    {
      name: 'broken',
      scope: 'project',
      file: '.gluon/formulas/broken.yaml',
      message: '.gluon/formulas/broken.yaml: steps[0].dependsOn[0]: unknown step "x"',
    },
  ],
};

describe('gluon formula ls', () => {
  it('prints a table and reports broken files on stderr, for the project of the current directory', async () => {
    api.on('GET', '/api/formulas', { body: list });
    const result = await runGluon(['formula', 'ls'], env, { cwd: '/home/me/repo/src' });
    expect(result.code).toBe(0);
    expect(result.stdout.split('\n')).toEqual([
      'NAME     SOURCE    STEPS             DESCRIPTION',
      'bugfix   built-in  Plan              Fix a bug.',
      'feature  project   Plan → Implement  Plan, implement, test and review a feature.',
      '',
    ]);
    expect(result.stderr).toBe(
      'gluon: cannot use formula broken: .gluon/formulas/broken.yaml: steps[0].dependsOn[0]: unknown step "x"\n',
    );
    expect(api.requests.find((r) => r.path === '/api/formulas')?.query).toEqual({ project: 'shop' });
  });

  it('prints raw JSON with --json and passes --project as given', async () => {
    api.on('GET', '/api/formulas', { body: list });
    const result = await runGluon(['formula', 'ls', '--json', '--project', 'other'], env);
    expect(JSON.parse(result.stdout)).toEqual(list);
    expect(api.requests.map((r) => r.path)).toEqual(['/api/formulas']);
    expect(api.requests[0]?.query).toEqual({ project: 'other' });
  });

  it('asks without a project outside every project', async () => {
    api.on('GET', '/api/formulas', { body: { formulas: [], errors: [] } });
    const result = await runGluon(['formula', 'ls'], env, { cwd: '/tmp' });
    expect(result.stdout).toBe('no formulas\n');
    expect(api.requests.find((r) => r.path === '/api/formulas')?.query).toEqual({});
  });
});

describe('gluon formula show', () => {
  it('prints the sheet: source, variables, steps with gates, verify and prompts', async () => {
    api.on('GET', '/api/formulas/feature', { body: feature });
    const result = await runGluon(['formula', 'show', 'feature', '--project', 'shop'], env);
    expect(result.code).toBe(0);
    expect(result.stdout.split('\n')).toEqual([
      'feature (project: .gluon/formulas/feature.yaml, overrides built-in)',
      'Plan, implement, test and review a feature.',
      '',
      'Variables',
      '  area   required  Where to work',
      '  style  optional, default "terse"',
      '',
      'Steps',
      '  1. Plan (plan)  deep  first',
      '     gate: Approve the plan',
      '     │ Plan {{prompt}}.',
      '     │ In {{area}}.',
      '  2. Implement (build)  standard  after plan',
      '     verify: npm test',
      '     │ Build it.',
      '',
    ]);
    expect(api.requests[0]?.query).toEqual({ project: 'shop' });
  });

  it('prints JSON with --json', async () => {
    api.on('GET', '/api/formulas/feature', { body: feature });
    const result = await runGluon(['formula', 'show', 'feature', '--json', '--project', 'shop'], env);
    expect(JSON.parse(result.stdout)).toEqual(feature);
  });

  it('fails with the server’s message for an unknown formula', async () => {
    api.on('GET', '/api/formulas/nope', {
      status: 404,
      body: { error: { code: 'not_found', message: 'formula nope not found' } },
    });
    const result = await runGluon(['formula', 'show', 'nope', '--project', 'shop'], env);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe('gluon: formula nope not found (not_found, HTTP 404)\n');
  });

  it('needs a name', async () => {
    expect((await runGluon(['formula', 'show'], env)).code).toBe(2);
  });
});

describe('projectFor', () => {
  const client = {
    listProjects: async () => [project('shop', '/r'), project('lib', '/r/lib'), project('rx', '/rx')],
  };
  const rows: [cwd: string, given: string | undefined, expected: string | undefined][] = [
    ['/r', undefined, 'shop'],
    ['/r/src/deep', undefined, 'shop'],
    ['/r/lib/src', undefined, 'lib'],
    ['/rx', undefined, 'rx'],
    ['/r-other', undefined, undefined],
    ['/', undefined, undefined],
    ['/r', 'given', 'given'],
  ];
  it.each(rows)('%s (given %s) → %s', async (cwd, given, expected) =>
    expect(await projectFor(client, given, cwd)).toBe(expected),
  );
});
