import { describe, expect, it } from 'vitest';
import { preparedMs } from '../../bench/start-latency.js';
import type { GluonEvent } from '../../shared/events.js';

const event = (seq: number, type: string, ts: string) =>
  ({ seq, taskId: 't', runId: null, ts, type, data: {} }) as unknown as GluonEvent;

describe('preparedMs', () => {
  it("is the time from the task's creation to its first run's start, by the stored events' ts", () => {
    const events = [
      event(1, 'task.created', '2026-12-07T10:00:00.000Z'),
      event(2, 'status.changed', '2026-12-07T10:00:00.004Z'),
      event(3, 'run.started', '2026-12-07T10:00:00.031Z'),
      event(4, 'run.session', '2026-12-07T10:00:00.600Z'),
      // A later run's start is not the first one's.
      event(5, 'run.started', '2026-12-07T10:00:09.000Z'),
    ];
    expect(preparedMs(events)).toBe(31);
  });

  it('refuses a task whose events lack either end, rather than print a figure of nothing', () => {
    expect(() => preparedMs([event(1, 'task.created', '2026-12-07T10:00:00.000Z')])).toThrow(/run.started/);
    expect(() => preparedMs([event(1, 'run.started', '2026-12-07T10:00:00.000Z')])).toThrow(/task.created/);
  });
});
