import { describe, expect, it } from 'vitest';
import type { EventPage } from '../../shared/client.js';
import type { GluonEvent } from '../../shared/events.js';
import { MAX_SCAN, readEventTail } from './task-events.js';

/** A task's stored events in memory, served the way GET /api/tasks/:id/events pages them. */
function store(events: GluonEvent[]) {
  const asked: { after: number; limit: number }[] = [];
  const client = {
    events: async (_id: string, page: { after?: number; limit?: number } = {}): Promise<EventPage> => {
      const after = page.after ?? 0;
      const limit = page.limit ?? 1000;
      asked.push({ after, limit });
      const slice = events.filter((e) => e.seq > after).slice(0, limit);
      return { events: slice, lastSeq: slice.at(-1)?.seq ?? after, more: slice.length === limit };
    },
  };
  return { client, asked };
}

/** `notice` events are shown, `agent.delta` ones are not: `pattern` says which is which, from seq 1. */
function history(pattern: string): GluonEvent[] {
  return [...pattern].map((kind, i) => {
    const base = { seq: i + 1, taskId: 't', runId: null, ts: '2024-05-01T10:00:00.000Z' };
    return kind === 'n'
      ? { ...base, type: 'notice', data: { message: `n${i + 1}` } }
      : { ...base, type: 'agent.delta', data: { messageId: 'm', index: 0, kind: 'text', text: 'x' } };
  });
}

describe('readEventTail', () => {
  it('answers the last N shown events, oldest first, and says that earlier ones exist', async () => {
    const { client } = store(history('nnnnn'));
    const tail = await readEventTail(client, { id: 't', lastEventSeq: 5 }, 2);
    expect(tail).toEqual({ lines: ['#4 [notice] n4', '#5 [notice] n5'], earlier: true });
  });

  it('answers everything when the task has fewer shown events than asked, with nothing earlier', async () => {
    const { client } = store(history('ndn'));
    expect(await readEventTail(client, { id: 't', lastEventSeq: 3 }, 10)).toEqual({
      lines: ['#1 [notice] n1', '#3 [notice] n3'],
      earlier: false,
    });
  });

  it('starts near the end of a long history instead of reading it all', async () => {
    const { client, asked } = store(history('n'.repeat(5000)));
    const tail = await readEventTail(client, { id: 't', lastEventSeq: 5000 }, 3);
    expect(tail.lines).toEqual(['#4998 [notice] n4998', '#4999 [notice] n4999', '#5000 [notice] n5000']);
    expect(asked[0]?.after).toBe(4800);
  });

  it('widens the window when streaming slices crowd out the shown events', async () => {
    const { client, asked } = store(history(`nn${'d'.repeat(3000)}`));
    const tail = await readEventTail(client, { id: 't', lastEventSeq: 3002 }, 2);
    expect(tail).toEqual({ lines: ['#1 [notice] n1', '#2 [notice] n2'], earlier: false });
    expect(new Set(asked.map((a) => a.after)).size).toBeGreaterThan(1);
  });

  it('stops at MAX_SCAN stored events however few are shown', async () => {
    const { client } = store(history(`n${'d'.repeat(MAX_SCAN + 10)}`));
    const tail = await readEventTail(client, { id: 't', lastEventSeq: MAX_SCAN + 11 }, 5);
    expect(tail).toEqual({ lines: [], earlier: true });
  });

  it('ignores events stored after the task was read', async () => {
    const { client } = store(history('nnnn'));
    const tail = await readEventTail(client, { id: 't', lastEventSeq: 2 }, 10);
    expect(tail.lines).toEqual(['#1 [notice] n1', '#2 [notice] n2']);
  });
});
