/**
 * Which driver a task gets: its stored mode state decides (loop, formula, planning); a task without one
 * plans first when its profile is planning, else it is plain.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../config.js';
import { buildTask } from '../../storage/testing/factories.js';
import type { EventLog } from '../event-log.js';
import { createModeDrivers, type DriverFor } from './index.js';
import { newLoopState } from './loop.js';
import { plainDriver } from './plain.js';

let dir: string;
let driverFor: DriverFor;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'gluon-modes-'));
  // No driver emits while it is being picked; an event log that refuses makes sure of it.
  const events = { emit: () => Promise.reject(new Error('unexpected emit')) } as unknown as EventLog;
  driverFor = createModeDrivers({ config: loadConfig(dir, {}, {}), events });
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('driverFor', () => {
  it('picks the driver from the mode state, then from the profile', async () => {
    const loop = buildTask({ projectId: 'p', modeState: newLoopState({}, null) });
    const planningProfile = buildTask({ projectId: 'p', profile: 'planning' });
    const planningState = buildTask({
      projectId: 'p',
      modeState: { mode: 'planning', phase: 'executing', plan: 'x' },
    });
    expect(driverFor(buildTask({ projectId: 'p' }))).toBe(plainDriver);
    expect(driverFor(loop)).toBe(driverFor({ ...loop, id: 'other' }));
    expect(driverFor(loop)).not.toBe(plainDriver);
    expect(driverFor(planningProfile)).toBe(driverFor(planningState));
    const first = await driverFor(planningProfile).nextRun(planningProfile, 0);
    expect(first).toMatchObject({ kind: 'run', spec: { planMode: true, kind: 'plan' } });
    expect(await driverFor(loop).nextRun(loop, 0)).toMatchObject({
      kind: 'run',
      spec: { kind: 'iteration' },
    });
  });
});
