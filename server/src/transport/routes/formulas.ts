/**
 * /api/formulas: the formulas a task can run, from the project's `.gluon/formulas/`, the user's
 * `$GLUON_HOME/formulas/` and the built-ins. `?project=` (a name or id) adds the project's own.
 */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { FormulaDto, FormulaListDto } from '../../../../shared/api.js';
import { notFound } from '../../errors.js';
import { FORMULA_NAME, type FormulaCatalog, type LoadedFormula } from '../../formulas/formula-store.js';
import type { Projects } from '../../services/projects.js';
import { parse } from '../validate.js';
import { needs } from '../access.js';

const formulasQuery = z.strictObject({ project: z.string().min(1).max(100).optional() });
const nameParam = z.strictObject({
  name: z.string().regex(FORMULA_NAME, 'a formula name: letters, digits, - and _'),
});

/** What the routes need: projects to find a project's path, and the formula catalog. */
export interface FormulaRouteServices {
  projects: Pick<Projects, 'find'>;
  formulas: FormulaCatalog;
}

/** Registers `GET /api/formulas` and `GET /api/formulas/:name`. */
export function registerFormulaRoutes(app: FastifyInstance, s: FormulaRouteServices): void {
  /** The path of the project named in the query; 404 when there is no such project. */
  async function projectPath(query: unknown): Promise<string | null> {
    const { project } = parse(formulasQuery, query, 'query');
    if (project === undefined) return null;
    const found = await s.projects.find(project);
    if (!found) throw notFound(`project ${project}`);
    return found.path;
  }

  app.get('/api/formulas', needs('viewer'), async (req): Promise<FormulaListDto> => {
    const { formulas, errors } = await s.formulas.list(await projectPath(req.query));
    return {
      formulas: formulas.map(presentFormula),
      errors: errors.map((e) => ({ name: e.name, scope: e.scope, file: e.file, message: e.message })),
    };
  });

  app.get('/api/formulas/:name', needs('viewer'), async (req): Promise<FormulaDto> => {
    const { name } = parse(nameParam, req.params, 'formula name');
    return presentFormula(await s.formulas.get(name, await projectPath(req.query)));
  });
}

/** The API shape of a loaded formula. */
export function presentFormula(loaded: LoadedFormula): FormulaDto {
  const { formula } = loaded;
  return {
    name: formula.name,
    description: formula.description,
    scope: loaded.scope,
    file: loaded.file,
    shadows: loaded.shadows,
    variables: formula.variables.map((v) => ({ ...v })),
    steps: formula.steps.map((step) => ({
      id: step.id,
      name: step.name,
      prompt: step.prompt,
      profile: step.profile,
      dependsOn: [...step.dependsOn],
      gate: step.gate,
      verify: step.verify,
    })),
  };
}
