/** `gluon formula ls` and `gluon formula show <name>`: the multi-step workflows a task can run. */
import path from 'node:path';
import type { Command } from 'commander';
import type { ProjectDto } from '../../../shared/api.js';
import type { FormulaDto, FormulaListDto, FormulaScope, GluonClient } from '../../../shared/client.js';
import type { CliContext } from '../context.js';
import { oneLine, truncate } from '../../../shared/text.js';
import { renderTable, type Style } from '../format.js';

const SCOPE_LABEL: Record<FormulaScope, string> = { project: 'project', user: 'user', builtin: 'built-in' };

/** Registers the `formula` command group. */
export function registerFormula(program: Command, ctx: CliContext): void {
  const formula = program.command('formula').description('List and inspect multi-step workflows (formulas)');

  formula
    .command('ls')
    .description("List formulas: the project's, yours (~/.gluon/formulas) and the built-ins")
    .option(
      '--project <name>',
      'include this project’s formulas (default: the project of the current directory)',
    )
    .option('--json', 'print the formulas as JSON')
    .action(async (opts: { project?: string; json?: boolean }, cmd: Command) => {
      const { client } = ctx.connect(cmd);
      const list = await client.listFormulas(await projectFor(client, opts.project, ctx.io.cwd));
      if (opts.json) return ctx.printJson(list);
      for (const line of renderFormulaTable(list, ctx.style)) ctx.out(line);
      for (const error of list.errors) ctx.err(`gluon: cannot use formula ${error.name}: ${error.message}`);
    });

  formula
    .command('show')
    .description('Show a formula: its variables and its steps in the order they run')
    .argument('<name>', 'formula name')
    .option('--project <name>', 'look in this project too (default: the project of the current directory)')
    .option('--json', 'print the formula as JSON')
    .action(async (name: string, opts: { project?: string; json?: boolean }, cmd: Command) => {
      const { client } = ctx.connect(cmd);
      const found = await client.getFormula(name, await projectFor(client, opts.project, ctx.io.cwd));
      if (opts.json) return ctx.printJson(found);
      for (const line of renderFormulaSheet(found, ctx.style)) ctx.out(line);
    });
}

/**
 * The project to ask about: the one given, else the registered project whose path holds the current
 * directory (the deepest, when projects nest), else none.
 */
export async function projectFor(
  client: Pick<GluonClient, 'listProjects'>,
  given: string | undefined,
  cwd: string,
): Promise<string | undefined> {
  if (given !== undefined) return given;
  const here = path.resolve(cwd);
  const holds = (p: ProjectDto) =>
    here === p.path || here.startsWith(p.path.endsWith(path.sep) ? p.path : p.path + path.sep);
  const matches = (await client.listProjects()).filter(holds).sort((a, b) => b.path.length - a.path.length);
  return matches[0]?.name;
}

/** `NAME  SOURCE  STEPS  DESCRIPTION`, one formula a line. */
export function renderFormulaTable(list: FormulaListDto, style: Style): string[] {
  if (list.formulas.length === 0) return ['no formulas'];
  const rows = list.formulas.map((f) => [
    f.name,
    SCOPE_LABEL[f.scope],
    f.steps.map((s) => s.name).join(' → '),
    truncate(oneLine(f.description), 60),
  ]);
  return renderTable(['NAME', 'SOURCE', 'STEPS', 'DESCRIPTION'], rows, style.bold);
}

/** The `gluon formula show` sheet: source, description, variables, then each step with its prompt. */
export function renderFormulaSheet(f: FormulaDto, style: Style): string[] {
  const hides =
    f.shadows.length > 0 ? `, overrides ${f.shadows.map((s) => SCOPE_LABEL[s]).join(' and ')}` : '';
  const lines = [`${style.bold(f.name)} ${style.dim(`(${SCOPE_LABEL[f.scope]}: ${f.file}${hides})`)}`];
  if (f.description) lines.push(f.description);
  lines.push('', style.bold('Variables'));
  if (f.variables.length === 0) lines.push('  none (besides {{prompt}} and {{project}})');
  const width = Math.max(0, ...f.variables.map((v) => v.name.length));
  for (const v of f.variables) {
    const need = v.required ? 'required' : `optional, default ${JSON.stringify(v.default ?? '')}`;
    lines.push(`  ${v.name.padEnd(width)}  ${style.dim(need)}${v.description ? `  ${v.description}` : ''}`);
  }
  lines.push('', style.bold('Steps'));
  f.steps.forEach((s, i) => {
    const after = s.dependsOn.length > 0 ? `after ${s.dependsOn.join(', ')}` : 'first';
    lines.push(`  ${i + 1}. ${style.bold(s.name)} (${s.id})  ${s.profile}  ${style.dim(after)}`);
    if (s.gate) lines.push(`     ${style.yellow('gate')}: ${s.gate.message}`);
    if (s.verify) lines.push(`     verify: ${s.verify}`);
    for (const line of s.prompt.trimEnd().split('\n')) lines.push(style.dim(`     │ ${line}`.trimEnd()));
  });
  return lines;
}
