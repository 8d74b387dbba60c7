/**
 * Test helper: stops what `createServices` started as a shutdown would (issue intake, the queue, waits
 * between runs, every run) and writes out the event log, so the test's database can be closed.
 * Not a product module.
 */
import type { Services } from '../index.js';

export async function stopServices(services: Services): Promise<void> {
  services.intake.stop();
  services.scheduler.stop();
  services.runs.clearWaits();
  await services.runs.shutdown();
  await services.events.flush();
}
