import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { FormulaDto, FormulaListDto } from '../../../../shared/client.js';
import { createFormulaStore } from '../../formulas/formula-store.js';
import type { ProjectRecord } from '../../storage/projects-repo.js';
import { installErrorHandler } from '../error-handler.js';
import { registerFormulaRoutes } from './formulas.js';

let tmp: string;
let app: FastifyInstance;
let logged: unknown[];

beforeEach(async () => {
  tmp = mkdtempSync(path.join(os.tmpdir(), 'gluon-formula-routes-'));
  const repo = path.join(tmp, 'repo');
  mkdirSync(path.join(repo, '.gluon', 'formulas'), { recursive: true });
  writeFileSync(
    path.join(repo, '.gluon', 'formulas', 'release.yaml'),
    'description: Cut a release\nvariables:\n  version: {}\nsteps:\n  - id: bump\n    name: Bump\n    prompt: Bump to {{version}}.\n    verify: npm test\n',
  );
  writeFileSync(path.join(repo, '.gluon', 'formulas', 'broken.yaml'), 'steps: [\n');
  const project: ProjectRecord = {
    id: 'p1',
    workspaceId: 'w1',
    workspace: 'default',
    name: 'shop',
    path: repo,
    defaultBranch: 'main',
    remoteUrl: null,
    github: null,
    settings: {},
    createdAt: '2026-01-01T00:00:00.000Z',
  };
  logged = [];
  app = Fastify();
  installErrorHandler(app, (_msg, err) => logged.push(err));
  registerFormulaRoutes(app, {
    projects: {
      find: async (nameOrId) => ([project.name, project.id].includes(nameOrId) ? project : undefined),
    },
    formulas: createFormulaStore({ home: path.join(tmp, 'home') }),
  });
  await app.ready();
});
afterEach(async () => {
  await app.close();
  rmSync(tmp, { recursive: true, force: true });
  expect(logged).toEqual([]);
});

const get = (url: string) => app.inject({ method: 'GET', url });

describe('GET /api/formulas', () => {
  it('lists the built-ins without a project', async () => {
    const res = await get('/api/formulas');
    expect(res.statusCode).toBe(200);
    const body = res.json<FormulaListDto>();
    expect(body.formulas.map((f) => `${f.name}:${f.scope}`)).toEqual(['bugfix:builtin', 'feature:builtin']);
    expect(body.errors).toEqual([]);
  });

  it("adds the project's formulas and reports its broken files", async () => {
    const body = (await get('/api/formulas?project=shop')).json<FormulaListDto>();
    expect(body.formulas.map((f) => f.name)).toEqual(['bugfix', 'feature', 'release']);
    expect(body.errors).toHaveLength(1);
    expect(body.errors[0]).toMatchObject({
      name: 'broken',
      scope: 'project',
      file: '.gluon/formulas/broken.yaml',
    });
    expect(body.errors[0]?.message).toMatch(/^\.gluon\/formulas\/broken\.yaml: line \d+, column \d+: /);
  });

  it('answers 404 for an unknown project and 400 for a bad query', async () => {
    const missing = await get('/api/formulas?project=nope');
    expect(missing.statusCode).toBe(404);
    expect(missing.json()).toEqual({ error: { code: 'not_found', message: 'project nope not found' } });
    const bad = await get('/api/formulas?color=red');
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.code).toBe('invalid_input');
  });
});

describe('GET /api/formulas/:name', () => {
  it('shows a project formula with its steps and variables', async () => {
    const res = await get('/api/formulas/release?project=p1');
    expect(res.statusCode).toBe(200);
    expect(res.json<FormulaDto>()).toEqual({
      name: 'release',
      description: 'Cut a release',
      scope: 'project',
      file: '.gluon/formulas/release.yaml',
      shadows: [],
      variables: [{ name: 'version', description: null, required: true, default: null }],
      steps: [
        {
          id: 'bump',
          name: 'Bump',
          prompt: 'Bump to {{version}}.',
          profile: 'standard',
          dependsOn: [],
          gate: null,
          verify: 'npm test',
        },
      ],
    });
  });

  it('answers 404 for a formula of another project only, 422 for a broken one, 400 for a bad name', async () => {
    expect((await get('/api/formulas/release')).statusCode).toBe(404);
    const broken = await get('/api/formulas/broken?project=shop');
    expect(broken.statusCode).toBe(422);
    expect(broken.json().error).toMatchObject({ code: 'invalid_formula' });
    const bad = await get('/api/formulas/..%2Fetc');
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.message).toMatch(/a formula name/);
  });
});
