/** Test data: an event of any type with a `seq`, for task `abcd1234ef`, for any client's tests. */
import type { EventDataMap, EventType, GluonEvent } from '../events.js';

export function buildEvent<K extends EventType>(seq: number, type: K, data: EventDataMap[K]): GluonEvent {
  return { seq, taskId: 'abcd1234ef', runId: 'r1', ts: '2025-01-01T00:00:00.000Z', type, data } as GluonEvent;
}
