import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GluonEvent } from '../../../shared/events.js';
import { insertTask } from '../services/testing/git-services.js';
import { MAX_EVENT_PAGE_BYTES, readEventPage } from './event-page.js';
import { startLiveApp, type LiveApp } from './testing/live-app.js';

const event = (taskId: string, seq: number, size: number): GluonEvent => ({
  seq,
  taskId,
  runId: null,
  ts: '2025-01-01T00:00:00.000Z',
  type: 'notice',
  data: { message: 'x'.repeat(size) },
});

interface Page {
  events: GluonEvent[];
  lastSeq: number;
  more: boolean;
}

describe('one page of events', () => {
  const sizes = [10, 10, 10, 500, 10, 10];
  const all = sizes.map((size, i) => event('t', i + 1, size));
  const backlog = async (after: number, limit: number) => all.filter((e) => e.seq > after).slice(0, limit);
  const page = async (after: number, limit: number, maxBytes: number) =>
    JSON.parse(await readEventPage(backlog, after, limit, maxBytes)) as Page;
  const seqs = (p: Page) => p.events.map((e) => e.seq);

  it.each([
    { after: 0, limit: 2, maxBytes: 10_000, expected: [1, 2], more: true },
    { after: 0, limit: 6, maxBytes: 10_000, expected: [1, 2, 3, 4, 5, 6], more: false },
    { after: 0, limit: 100, maxBytes: 10_000, expected: [1, 2, 3, 4, 5, 6], more: false },
    { after: 4, limit: 2, maxBytes: 10_000, expected: [5, 6], more: false },
    { after: 6, limit: 10, maxBytes: 10_000, expected: [], more: false },
    // The byte budget cuts before the big event; a page of only that event still moves on.
    { after: 0, limit: 100, maxBytes: 400, expected: [1, 2, 3], more: true },
    { after: 3, limit: 100, maxBytes: 400, expected: [4], more: true },
    { after: 4, limit: 100, maxBytes: 400, expected: [5, 6], more: false },
  ])('after $after, limit $limit, $maxBytes bytes: $expected', async (c) => {
    const p = await page(c.after, c.limit, c.maxBytes);
    expect(seqs(p)).toEqual(c.expected);
    expect(p.more).toBe(c.more);
    expect(p.lastSeq).toBe(c.expected.at(-1) ?? c.after);
  });
});

describe('GET /api/tasks/:id/events', () => {
  let live: LiveApp;
  let taskId: string;
  const count = 3000;
  beforeAll(async () => {
    live = await startLiveApp();
    const project = (await live.services.projects.find('sample'))!;
    taskId = (await insertTask(live.storage, project)).id;
    // 3,000 events of 8 KB: 24 MB, which one unbounded page would carry whole.
    const events = Array.from({ length: count }, (_, i) => event(taskId, i + 1, 8 * 1024));
    for (let i = 0; i < count; i += 500) await live.storage.events.append(events.slice(i, i + 500));
  });
  afterAll(async () => live?.close());

  it('caps a page at a few megabytes and continues from its cursor until all is read once', async () => {
    const auth = { authorization: `Bearer ${live.token}` };
    const seen: number[] = [];
    let after = 0;
    let pages = 0;
    for (;;) {
      const res = await live.send('GET', `/api/tasks/${taskId}/events?after=${after}&limit=10000`, auth);
      expect(res.status).toBe(200);
      expect(Buffer.byteLength(res.body)).toBeLessThanOrEqual(MAX_EVENT_PAGE_BYTES + 1024);
      const page = res.json as Page;
      seen.push(...page.events.map((e) => e.seq));
      pages += 1;
      after = page.lastSeq;
      if (!page.more) break;
    }
    expect(pages).toBeGreaterThanOrEqual(6);
    expect(seen).toEqual(Array.from({ length: count }, (_, i) => i + 1));
  });

  it('still refuses a limit above 10,000 and a negative cursor', async () => {
    const auth = { authorization: `Bearer ${live.token}` };
    for (const q of ['limit=10001', 'limit=0', 'after=-1', 'limit=abc']) {
      const res = await live.send('GET', `/api/tasks/${taskId}/events?${q}`, auth);
      expect(res.status, q).toBe(400);
    }
  });
});
