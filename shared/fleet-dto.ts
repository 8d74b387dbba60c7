/** A fleet on Postgres as the server answers it (`gluon workers`). Types only. */

/** `GET /api/workers`: a worker of a fleet on Postgres, and what it runs. */
export interface WorkerDto {
  name: string;
  host: string;
  capacity: number;
  /** The projects (ids) it takes tasks of; null for every project. */
  projects: string[] | null;
  /** The tasks running on it now. */
  running: string[];
  startedAt: string;
  heartbeatAt: string;
  /** `alive` while it heartbeats; `lost` once declared lost (its tasks continued elsewhere); `stopped`. */
  status: 'alive' | 'lost' | 'stopped';
}
