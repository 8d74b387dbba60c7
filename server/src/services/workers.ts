/**
 * The fleet as the dashboard, `gluon workers` and the API show it: every worker that ever registered,
 * whether it is alive, and which tasks run on it now.
 */
import type { WorkerDto } from '../../../shared/fleet-dto.js';
import type { Storage } from '../storage/index.js';

export function createWorkers(storage: Storage) {
  return {
    async list(): Promise<WorkerDto[]> {
      const [workers, running] = await Promise.all([
        storage.workers.list(),
        storage.tasks.list({ status: 'running' }),
      ]);
      return workers.map((w) => ({
        name: w.name,
        host: w.host,
        capacity: w.capacity,
        projects: w.projects,
        running: running.filter((t) => t.worker === w.name).map((t) => t.id),
        startedAt: w.startedAt,
        heartbeatAt: w.heartbeatAt,
        status: w.stoppedAt ? 'stopped' : w.lostAt ? 'lost' : 'alive',
      }));
    },
  };
}
