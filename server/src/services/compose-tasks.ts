/**
 * What users do with projects and tasks: projects and their files, formulas, tasks that wait for others,
 * the tasks themselves, their health, and the costs.
 */
import { createFormulaStore } from '../formulas/formula-store.js';
import { createTaskDependenciesRepo } from '../storage/task-dependencies-repo.js';
import type { Core, ServicesDeps } from './compose-core.js';
import type { RunParts } from './compose-runs.js';
import { createCosts } from './costs.js';
import { createHealthMonitor } from './health-monitor.js';
import { createProjectFiles } from './project-files.js';
import { createProjects } from './projects.js';
import { createTaskDependencies } from './task-dependencies.js';
import { createTasks } from './tasks.js';

/** Tasks that wait for others, kept current as the tasks they wait for move. */
function composeDependencies(deps: ServicesDeps, { events, state }: Core, { scheduler }: RunParts) {
  const dependencies = createTaskDependencies({
    storage: deps.storage,
    repo: createTaskDependenciesRepo(deps.storage.db),
    announce: (taskId) => state.announce(taskId),
  });
  // A task that reaches review or done may unblock the tasks that wait for it; any status change of it
  // changes why they wait, which the board shows.
  events.subscribe((e) => {
    if (e.type !== 'status.changed') return;
    if (e.data.to === 'review' || e.data.to === 'done')
      scheduler.kick().catch((err) => deps.log('starting the tasks that waited failed', err));
    void dependencies
      .dependentsOf(e.taskId)
      .then((ids) => Promise.all(ids.map((id) => state.announce(id))))
      .catch((err) => deps.log('announcing the tasks that wait for a task failed', err));
  });
  return dependencies;
}

export function composeTasks(deps: ServicesDeps, core: Core, run: RunParts) {
  const { events, state, notifier, governance } = core;
  const unpriced = new Set<string>();
  events.subscribe((e) => {
    if (e.type === 'cost.warning') unpriced.add(e.data.model);
  });
  const projects = createProjects(deps.storage);
  const projectFiles = createProjectFiles({ findProject: (id) => projects.find(id), env: deps.serverEnv });
  const formulas = createFormulaStore({ home: deps.config.home });
  const dependencies = composeDependencies(deps, core, run);
  const { remote, runs, inputs } = run;
  const tasks = createTasks({
    dependencies,
    config: deps.config,
    attachments: run.attachments,
    storage: deps.storage,
    events,
    state,
    projects,
    runs: remote ? { stop: remote.stop } : runs,
    scheduler: run.scheduler,
    inputs: remote ? { settle: remote.settle } : inputs,
    driverFor: run.driverFor,
    formulas,
    notifier,
    agents: deps.agents,
    governance,
    log: deps.log,
  });
  const health = createHealthMonitor({
    config: deps.config,
    storage: deps.storage,
    events,
    state,
    runs,
    notifier,
    log: deps.log,
  });
  const costs = createCosts(deps.storage, () => [...unpriced]);
  return { projects, projectFiles, formulas, dependencies, tasks, health, costs };
}

export type TaskParts = ReturnType<typeof composeTasks>;
