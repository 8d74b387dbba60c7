/**
 * Picks the driver of a task's mode: its stored mode state says loop or formula; the planning profile
 * plans first; anything else is a plain task.
 */
import { modelForProfile, type Config } from '../../config.js';
import type { TaskRecord } from '../../storage/tasks-repo.js';
import type { EventLog } from '../event-log.js';
import { createFormulaDriver } from './formula.js';
import { createLoopDriver } from './loop.js';
import type { ModeDriver } from './mode-driver.js';
import { createPlanningDriver } from './planning.js';
import { plainDriver } from './plain.js';

export function createModeDrivers(deps: {
  config: Config;
  events: EventLog;
}): (task: TaskRecord) => ModeDriver {
  const loop = createLoopDriver({ events: deps.events, verifyTimeoutMs: deps.config.verifyTimeoutMs });
  const formula = createFormulaDriver((profile, task) => modelForProfile(deps.config, profile, task.agent));
  const planning = createPlanningDriver();
  return (task) => {
    switch (task.modeState?.mode) {
      case 'loop':
        return loop;
      case 'formula':
        return formula;
      case 'planning':
        return planning;
      case undefined:
        return task.profile === 'planning' ? planning : plainDriver;
    }
  };
}

export type DriverFor = ReturnType<typeof createModeDrivers>;
