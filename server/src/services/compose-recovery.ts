/**
 * What closes the work a dead process left open: startup reconciliation (see recovery.ts), and in a fleet
 * the supervisor of lost workers.
 */
import type { Core, ServicesDeps } from './compose-core.js';
import type { Git } from './compose-git.js';
import type { RunParts } from './compose-runs.js';
import { createSupervisor } from './fleet/supervisor.js';
import { recoverAfterRestart } from './recovery.js';
import { createSettler } from './runs/settle.js';

export function composeRecovery(
  deps: ServicesDeps,
  core: Core,
  { workspaces }: Git,
  { scheduler }: RunParts,
) {
  const { state, notifier, events } = core;
  const settle = createSettler({ state, notifier });
  const supervisor = deps.fleet
    ? createSupervisor({
        storage: deps.storage,
        events,
        workspaces,
        settle,
        jobs: deps.fleet.jobs,
        kick: () => scheduler.kick(),
        lostAfterMs: deps.config.fleet.lostAfterMs,
        log: deps.log,
      })
    : null;
  /** Startup reconciliation: closes what a dead server left open (see recovery.ts). */
  const recover = () =>
    recoverAfterRestart({
      storage: deps.storage,
      events,
      workspaces,
      settle,
      resumeOnRestart: deps.config.resumeOnRestart,
      log: deps.log,
    });
  return { recover, supervisor };
}
