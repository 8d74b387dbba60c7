/**
 * Where formulas come from: the project's `.gluon/formulas/`, the user's `$GLUON_HOME/formulas/` and the
 * built-ins. A user file shadows the built-in of the same name; a project file only adds new names: the
 * repository is untrusted, so one that reuses a user or built-in name is refused and listed as an error
 * (`gluon formula ls` says so) while the user's or built-in formula stays in use. Files are YAML, parsed
 * with the `yaml` package's core schema (no tags, a bounded number of alias expansions) and validated by
 * domain/formula.ts (formula-yaml.ts, loaded with the first formula read); errors name the file and the field.
 */
import { lstat, readFile, readdir, realpath } from 'node:fs/promises';
import path from 'node:path';
import type { Formula, FormulaIssue } from '../domain/formula.js';
import { AppError, invalidInput, notFound } from '../errors.js';
import { BUILTIN_FORMULAS } from './builtins.js';

export type FormulaScope = 'project' | 'user' | 'builtin';

/** A valid formula and where it was found. */
export interface LoadedFormula {
  formula: Formula;
  scope: FormulaScope;
  /** Shown to people: `.gluon/formulas/x.yaml` (project), an absolute path (user), `built-in x.yaml`. */
  file: string;
  /** Lower scopes that have a formula of the same name, hidden by this one. */
  shadows: FormulaScope[];
}

/** A formula file that could not be used. */
export interface FormulaFileError {
  name: string;
  scope: FormulaScope;
  file: string;
  /** `file: field: problem`, one line per problem. */
  message: string;
  issues: FormulaIssue[];
}

export interface FormulaCatalog {
  /** Every formula visible from the project (or without one: user and built-ins), by name. */
  list(projectPath: string | null): Promise<{ formulas: LoadedFormula[]; errors: FormulaFileError[] }>;
  /** One formula; 404 when no scope has it, 422 `invalid_formula` when the winning file is invalid. */
  get(name: string, projectPath: string | null): Promise<LoadedFormula>;
}

export const FORMULA_NAME = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;
const MAX_FILE_BYTES = 256 * 1024;
const SCOPES: FormulaScope[] = ['project', 'user', 'builtin'];

type Source = { name: string; scope: FormulaScope; file: string; read: () => Promise<string> };

/** Builds the catalog over a data directory (user formulas live in `<home>/formulas`). */
export function createFormulaStore(opts: { home: string }): FormulaCatalog {
  /**
   * Every usable formula file of every scope, grouped by name, highest precedence first, and the project
   * files refused for taking a name the user or Gluon already gives a formula.
   */
  async function sources(
    projectPath: string | null,
  ): Promise<{ byName: Map<string, Source[]>; refused: FormulaFileError[] }> {
    const found: Source[] = [];
    if (projectPath !== null) {
      const dir = path.join(projectPath, '.gluon', 'formulas');
      found.push(...(await scanDir(dir, projectPath, 'project', (f) => path.join('.gluon', 'formulas', f))));
    }
    const userDir = path.join(opts.home, 'formulas');
    found.push(...(await scanDir(userDir, userDir, 'user', (f) => path.join(userDir, f))));
    for (const [name, text] of Object.entries(BUILTIN_FORMULAS)) {
      found.push({ name, scope: 'builtin', file: `built-in ${name}.yaml`, read: async () => text });
    }
    const byName = new Map<string, Source[]>();
    for (const s of found) byName.set(s.name, [...(byName.get(s.name) ?? []), s]);
    const refused: FormulaFileError[] = [];
    for (const [name, list] of byName) {
      list.sort((a, b) => SCOPES.indexOf(a.scope) - SCOPES.indexOf(b.scope));
      const [top, next] = list;
      if (top?.scope !== 'project' || !next) continue;
      list.shift();
      const owner = next.scope === 'builtin' ? 'a built-in formula' : 'your formula in ~/.gluon/formulas';
      const message = `${top.file}: the repository may not replace ${owner} of the same name; rename the file to use it`;
      refused.push({ name, scope: 'project', file: top.file, message, issues: [] });
    }
    return { byName, refused };
  }

  async function load(group: Source[]): Promise<LoadedFormula | FormulaFileError> {
    const [top, ...rest] = group as [Source, ...Source[]];
    let text: string;
    try {
      text = await top.read();
    } catch (error) {
      const message = `${top.file}: cannot read: ${(error as Error).message}`;
      return { name: top.name, scope: top.scope, file: top.file, message, issues: [] };
    }
    const { parseFormulaYaml } = await import('./formula-yaml.js');
    const parsed = parseFormulaYaml(text, top.name, top.file);
    if (!parsed.ok) return { ...parsed.error, scope: top.scope };
    return { formula: parsed.formula, scope: top.scope, file: top.file, shadows: rest.map((s) => s.scope) };
  }

  return {
    async list(projectPath) {
      const formulas: LoadedFormula[] = [];
      const { byName, refused } = await sources(projectPath);
      const errors: FormulaFileError[] = [...refused];
      const groups = [...byName.values()];
      for (const result of await Promise.all(groups.map(load))) {
        if ('formula' in result) formulas.push(result);
        else errors.push(result);
      }
      formulas.sort((a, b) => a.formula.name.localeCompare(b.formula.name));
      return { formulas, errors };
    },
    async get(name, projectPath) {
      if (!FORMULA_NAME.test(name)) throw invalidInput(`not a formula name: ${JSON.stringify(name)}`);
      const group = (await sources(projectPath)).byName.get(name);
      if (!group) throw notFound(`formula ${name}`);
      const result = await load(group);
      if ('formula' in result) return result;
      throw new AppError(422, 'invalid_formula', result.message, result.issues);
    },
  };
}

/**
 * The formula files of one directory: `*.yaml` and `*.yml` with a valid formula name (`.yaml` wins over
 * `.yml`). Path rules: a missing directory is empty; each file must resolve (symlinks followed) inside
 * `root`, be a regular file, and be at most 256 KiB, else reading it fails with the reason.
 */
async function scanDir(
  dir: string,
  root: string,
  scope: FormulaScope,
  display: (file: string) => string,
): Promise<Source[]> {
  let entries: string[];
  try {
    entries = (await readdir(dir)).sort();
  } catch {
    return [];
  }
  const out = new Map<string, Source>();
  for (const entry of entries) {
    const match = /^(.*)\.(yaml|yml)$/.exec(entry);
    if (!match || !FORMULA_NAME.test(match[1] as string)) continue;
    const name = match[1] as string;
    if (out.has(name) && match[2] === 'yml') continue;
    const full = path.join(dir, entry);
    out.set(name, { name, scope, file: display(entry), read: () => readInside(full, root) });
  }
  return [...out.values()];
}

async function readInside(file: string, root: string): Promise<string> {
  const [realRoot, realFile] = await Promise.all([realpath(root), realpath(file)]);
  if (realFile !== realRoot && !realFile.startsWith(realRoot + path.sep)) {
    throw new Error(`it resolves outside ${root}`);
  }
  const info = await lstat(realFile);
  if (!info.isFile()) throw new Error('not a regular file');
  if (info.size > MAX_FILE_BYTES) throw new Error(`larger than ${MAX_FILE_BYTES / 1024} KiB`);
  return readFile(realFile, 'utf8');
}
