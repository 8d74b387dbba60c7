import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AppError } from '../errors.js';
import { BUILTIN_FORMULAS } from './builtins.js';
import { createFormulaStore, type FormulaCatalog } from './formula-store.js';
import { parseFormulaYaml } from './formula-yaml.js';

let tmp: string;
let project: string;
let home: string;
let store: FormulaCatalog;

beforeEach(() => {
  tmp = mkdtempSync(path.join(os.tmpdir(), 'gluon-formulas-'));
  project = path.join(tmp, 'repo');
  home = path.join(tmp, 'home');
  mkdirSync(path.join(project, '.gluon', 'formulas'), { recursive: true });
  mkdirSync(path.join(home, 'formulas'), { recursive: true });
  store = createFormulaStore({ home });
});
afterEach(() => rmSync(tmp, { recursive: true, force: true }));

const projectFile = (file: string, text: string) =>
  writeFileSync(path.join(project, '.gluon', 'formulas', file), text);
const userFile = (file: string, text: string) => writeFileSync(path.join(home, 'formulas', file), text);
const oneStep = (id: string, extra = '') =>
  `${extra}steps:\n  - id: ${id}\n    name: ${id}\n    prompt: Do ${id}.\n`;

async function getError(name: string, projectPath: string | null = project): Promise<AppError> {
  try {
    await store.get(name, projectPath);
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error('expected an AppError');
}

describe('built-in formulas', () => {
  it('are valid and in the documented order', async () => {
    const { formulas, errors } = await store.list(null);
    expect(errors).toEqual([]);
    const steps = (name: string) =>
      formulas.find((f) => f.formula.name === name)?.formula.steps.map((s) => s.name);
    expect(steps('feature')).toEqual(['Plan', 'Implement', 'Test', 'Review']);
    expect(steps('bugfix')).toEqual(['Diagnose', 'Fix', 'Test']);
    expect(formulas.map((f) => [f.formula.name, f.scope, f.file])).toEqual([
      ['bugfix', 'builtin', 'built-in bugfix.yaml'],
      ['feature', 'builtin', 'built-in feature.yaml'],
    ]);
  });

  it('gate the feature plan and pass each result on', async () => {
    const { formula } = await store.get('feature', null);
    expect(formula.steps[0]?.gate).toEqual({ message: 'Approve the plan to start the implementation' });
    expect(formula.steps[1]?.prompt).toContain('{{steps.plan.result}}');
    expect(Object.keys(BUILTIN_FORMULAS).sort()).toEqual(['bugfix', 'feature']);
  });
});

describe('precedence and listing', () => {
  it('a user file shadows the built-in of its name, and says so', async () => {
    userFile('feature.yaml', oneStep('user'));
    userFile('mine.yml', oneStep('mine'));
    projectFile('deploy.yaml', oneStep('proj'));
    const loaded = await store.get('feature', project);
    expect(loaded).toMatchObject({ scope: 'user', shadows: ['builtin'] });
    expect(loaded.file).toBe(path.join(home, 'formulas', 'feature.yaml'));
    expect(loaded.formula.steps.map((s) => s.id)).toEqual(['user']);
    expect(await store.get('deploy', project)).toMatchObject({ scope: 'project', shadows: [] });

    const { formulas, errors } = await store.list(project);
    expect(errors).toEqual([]);
    expect(formulas.map((f) => `${f.formula.name}:${f.scope}`)).toEqual([
      'bugfix:builtin',
      'deploy:project',
      'feature:user',
      'mine:user',
    ]);
  });

  it('a project file never replaces a built-in or a user formula: refused, listed, the original kept', async () => {
    userFile('mine.yaml', oneStep('mine'));
    projectFile('feature.yaml', oneStep('hijacked', 'description: looks official\n'));
    projectFile('mine.yaml', oneStep('hijacked'));
    for (const name of ['feature', 'mine']) {
      const loaded = await store.get(name, project);
      expect(loaded.scope, name).not.toBe('project');
      expect(loaded.formula.steps.map((s) => s.id)).not.toContain('hijacked');
    }
    const { formulas, errors } = await store.list(project);
    expect(formulas.map((f) => `${f.formula.name}:${f.scope}`)).toEqual([
      'bugfix:builtin',
      'feature:builtin',
      'mine:user',
    ]);
    expect(errors.map((e) => [e.name, e.scope, e.message])).toEqual([
      [
        'feature',
        'project',
        '.gluon/formulas/feature.yaml: the repository may not replace a built-in formula of the same name; rename the file to use it',
      ],
      [
        'mine',
        'project',
        '.gluon/formulas/mine.yaml: the repository may not replace your formula in ~/.gluon/formulas of the same name; rename the file to use it',
      ],
    ]);
  });

  it('prefers .yaml over .yml and skips files whose names are not formula names', async () => {
    projectFile('x.yml', oneStep('from_yml'));
    projectFile('x.yaml', oneStep('from_yaml'));
    projectFile('.hidden.yaml', oneStep('h'));
    projectFile('two words.yaml', oneStep('w'));
    projectFile('notes.txt', 'not yaml');
    const { formulas } = await store.list(project);
    expect(formulas.map((f) => f.formula.name)).toEqual(['bugfix', 'feature', 'x']);
    expect((await store.get('x', project)).formula.steps[0]?.id).toBe('from_yaml');
  });

  it('works when the folders do not exist', async () => {
    const bare = createFormulaStore({ home: path.join(tmp, 'nowhere') });
    expect((await bare.list(path.join(tmp, 'no-project'))).formulas).toHaveLength(2);
  });
});

describe('invalid files', () => {
  it('are listed as errors naming the file and the field, and do not fall back to a lower scope', async () => {
    userFile('feature.yaml', 'steps:\n  - id: plan\n    name: Plan\n    prompt: x\n    dependsOn: [nope]\n');
    const file = path.join(home, 'formulas', 'feature.yaml');
    const { formulas, errors } = await store.list(project);
    expect(formulas.map((f) => f.formula.name)).toEqual(['bugfix']);
    expect(errors).toEqual([
      {
        name: 'feature',
        scope: 'user',
        file,
        message: `${file}: steps[0].dependsOn[0]: unknown step "nope" (steps: plan)`,
        issues: [{ path: 'steps[0].dependsOn[0]', message: 'unknown step "nope" (steps: plan)' }],
      },
    ]);
    const error = await getError('feature');
    expect(error).toMatchObject({ status: 422, code: 'invalid_formula' });
    expect(error.message).toContain(`${file}: steps[0].dependsOn[0]`);
  });

  it('answers 404 for an unknown name and 400 for a name that is not one', async () => {
    expect(await getError('nope')).toMatchObject({ status: 404, message: 'formula nope not found' });
    expect(await getError('../etc/passwd')).toMatchObject({ status: 400, code: 'invalid_input' });
  });

  it('refuses a symlink that leads out of the project', async () => {
    writeFileSync(path.join(tmp, 'secret.yaml'), oneStep('secret'));
    symlinkSync(path.join(tmp, 'secret.yaml'), path.join(project, '.gluon', 'formulas', 'leak.yaml'));
    const error = await getError('leak');
    expect(error.message).toBe(`.gluon/formulas/leak.yaml: cannot read: it resolves outside ${project}`);
    expect(error.message).not.toContain('Do secret');
  });

  it('follows a symlink that stays inside the project', async () => {
    writeFileSync(path.join(project, 'shared.yaml'), oneStep('shared'));
    symlinkSync(path.join(project, 'shared.yaml'), path.join(project, '.gluon', 'formulas', 'shared.yaml'));
    expect((await store.get('shared', project)).formula.steps[0]?.id).toBe('shared');
  });

  it('refuses a directory and an oversized file', async () => {
    mkdirSync(path.join(project, '.gluon', 'formulas', 'dir.yaml'));
    projectFile('big.yaml', `# ${'x'.repeat(300 * 1024)}\n${oneStep('a')}`);
    expect((await getError('dir')).message).toContain('not a regular file');
    expect((await getError('big')).message).toContain('larger than 256 KiB');
  });
});

describe('parseFormulaYaml', () => {
  const rows: [name: string, text: string, message: RegExp][] = [
    [
      'a syntax error, with its line',
      'steps:\n  - id: a\n    name: [A\n',
      /^f\.yaml: line \d+, column \d+: /,
    ],
    ['a duplicate key', 'steps: []\nsteps: []\n', /line 2, column 1: Map keys must be unique/],
    ['a language tag', `${oneStep('a')}description: !!js/function "x"\n`, /tags are not allowed/],
    ['a custom tag', `${oneStep('a')}description: !shell "rm -rf /"\n`, /tags are not allowed/],
    ['a binary tag', `${oneStep('a')}description: !!binary aGVsbG8=\n`, /tags are not allowed/],
    [
      'too many alias expansions',
      `a: &a [x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a]\nc: [*b, *b, *b, *b, *b, *b, *b, *b]\n`,
      /yaml: .*alias/i,
    ],
    ['a top-level list', '- a\n- b\n', /f\.yaml: \(root\): /],
    ['an empty file', '', /f\.yaml: \(root\): /],
    [
      'a name that is not the file name',
      `name: other\n${oneStep('a')}`,
      /f\.yaml: name: "other" differs from the file name "f"/,
    ],
  ];
  it.each(rows)('%s', (_name, text, message) => {
    const parsed = parseFormulaYaml(text, 'f', 'f.yaml');
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.error.message).toMatch(message);
  });

  it('reads a valid file', () => {
    const parsed = parseFormulaYaml(`# comment\n${oneStep('a', 'description: Hi\n')}`, 'f', 'f.yaml');
    expect(parsed).toMatchObject({ ok: true, formula: { name: 'f', description: 'Hi' } });
  });
});
