/**
 * One formula file's text to a formula: YAML with the `yaml` package's core schema, then
 * domain/formula.ts's validation. Its own module so that the YAML parser loads with the first formula read,
 * not with the server.
 */
import { parseDocument } from 'yaml';
import { validateFormula, type Formula, type FormulaIssue } from '../domain/formula.js';
import type { FormulaFileError } from './formula-store.js';

/**
 * Parses and validates the text of one formula file.
 * - YAML syntax errors, duplicate keys, tags (`!!js/function`, `!custom`, even `!!binary`) and more than
 *   50 alias expansions are errors with their line;
 * - then {@link validateFormula}; each issue becomes `file: field: message`.
 */
export function parseFormulaYaml(
  text: string,
  name: string,
  file: string,
): { ok: true; formula: Formula } | { ok: false; error: Omit<FormulaFileError, 'scope'> } {
  const fail = (issues: FormulaIssue[]) => ({
    ok: false as const,
    error: { name, file, issues, message: issues.map((i) => `${file}: ${i.path}: ${i.message}`).join('\n') },
  });
  const doc = parseDocument(text, {
    schema: 'core',
    uniqueKeys: true,
    resolveKnownTags: false,
    prettyErrors: true,
  });
  const problem = doc.errors[0] ?? doc.warnings[0];
  if (problem) {
    const at = problem.linePos?.[0];
    const where = at ? `line ${at.line}, column ${at.col}` : 'yaml';
    // Pretty errors end their first line with " at line L, column C:" and then quote the source.
    const message = problem.message.startsWith('Unresolved tag')
      ? 'tags are not allowed in formula files'
      : (problem.message.split('\n')[0] as string).replace(/ at line \d+, column \d+:?$/, '');
    return fail([{ path: where, message }]);
  }
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: 50 });
  } catch (error) {
    return fail([{ path: 'yaml', message: (error as Error).message }]);
  }
  const validation = validateFormula(data, name);
  return validation.ok ? { ok: true, formula: validation.formula } : fail(validation.issues);
}
