/**
 * Observability through the real server and the real Claude Code: Prometheus metrics behind the token
 * (and on a loopback port of their own), and a task's life exported as OpenTelemetry spans to a loopback
 * OTLP collector.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { WS_PROTOCOL, WS_TOKEN_PROTOCOL_PREFIX } from '../../shared/api.js';
import { startFakeCollector, type FakeCollector } from '../../fakes/otlp/collector.js';
import { settled, startGluon, waitForTask, type Gluon } from './harness.js';

const sample = (text: string, name: string, labels: string): number | null => {
  const line = text
    .split('\n')
    .find(
      (l) => l.startsWith(`${name}{${labels}}`) || l.startsWith(`${name}${labels ? `{${labels}}` : ' '}`),
    );
  return line ? Number(line.split(' ').at(-1)) : null;
};

describe('observability', () => {
  let g: Gluon;
  let collector: FakeCollector;
  let taskId: string;
  beforeAll(async () => {
    collector = await startFakeCollector();
    g = await startGluon({ telemetry: { otlpEndpoint: collector.url }, metrics: { port: 0 } });
    const created = await g.client.createTask({
      project: 'sample',
      prompt: '[[scenario:write-file path=hello.txt content=hi]] write a file',
    });
    taskId = created.id;
    await waitForTask(g.client, taskId, settled, 'the task to settle');
  });
  afterAll(async () => {
    await g?.close();
    await collector?.close();
  });

  it('serves /metrics only with the token', async () => {
    const anonymous = await fetch(`${g.server.url}/metrics`);
    expect(anonymous.status).toBe(401);
    const res = await fetch(`${g.server.url}/metrics`, {
      headers: { authorization: `Bearer ${g.server.token}` },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/text\/plain/);
    const text = await res.text();
    expect(sample(text, 'gluon_tasks', 'status="review"')).toBe(1);
    expect(sample(text, 'gluon_queue_depth', '')).toBe(0);
    expect(sample(text, 'gluon_runs', 'status="ended",stop_reason="completed"')).toBe(1);
    expect(sample(text, 'gluon_cost_usd', 'model="claude-sonnet-4-5"')).toBeGreaterThan(0);
    expect(sample(text, 'gluon_tokens', 'model="claude-sonnet-4-5",kind="output"')).toBeGreaterThan(0);
    expect(sample(text, 'gluon_task_health', 'health="red"')).toBe(0);
    expect(text).toMatch(/gluon_event_lag_seconds_count \d+/);
    expect(Number(/gluon_event_lag_seconds_count (\d+)/.exec(text)?.[1])).toBeGreaterThan(3);
    expect(text).toContain('# TYPE gluon_budget_refusals_total counter');
    expect(text).toContain('# TYPE gluon_breaker_opens_total counter');
  });

  it('counts WebSocket clients as they come and go', async () => {
    const scrape = async () =>
      sample(
        await (
          await fetch(`${g.server.url}/metrics`, { headers: { authorization: `Bearer ${g.server.token}` } })
        ).text(),
        'gluon_websocket_clients',
        '',
      );
    const before = (await scrape()) ?? 0;
    const socket = new WebSocket(`${g.server.url.replace('http', 'ws')}/api/ws`, [
      WS_PROTOCOL,
      `${WS_TOKEN_PROTOCOL_PREFIX}${g.server.token}`,
    ]);
    await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject));
    expect(await scrape()).toBe(before + 1);
    socket.close();
    await new Promise((resolve) => socket.once('close', resolve));
    for (let i = 0; i < 50 && (await scrape()) !== before; i++) await new Promise((r) => setTimeout(r, 20));
    expect(await scrape()).toBe(before);
  });

  it('serves the same metrics without a token on its own loopback port, and nothing else there', async () => {
    const port = g.server.metricsPort!;
    const res = await fetch(`http://127.0.0.1:${port}/metrics`);
    expect(res.status).toBe(200);
    expect(sample(await res.text(), 'gluon_tasks', 'status="review"')).toBe(1);
    expect((await fetch(`http://127.0.0.1:${port}/api/tasks`)).status).toBe(404);
  });

  it("exports the task's life as one trace: task → queue, run → commit, review", async () => {
    await g.server.services.observability.flushTraces();
    const spans = collector.spans.filter((s) => s.service === 'gluon');
    const root = spans.find((s) => s.name === 'task' && s.attributes['gluon.task.id'] === taskId);
    expect(root, JSON.stringify(spans.map((s) => s.name))).toBeDefined();
    expect(root!.parentSpanId).toBe('');
    expect(root!.attributes['gluon.task.status']).toBe('review');
    const inTrace = spans.filter((s) => s.traceId === root!.traceId);
    const byName = (n: string) => inTrace.filter((s) => s.name === n);
    expect(byName('queue')).toHaveLength(1);
    expect(byName('queue')[0]!.parentSpanId).toBe(root!.spanId);
    const [run] = byName('run');
    expect(run?.parentSpanId).toBe(root!.spanId);
    expect(run?.attributes['gluon.run.stop_reason']).toBe('completed');
    expect(run?.attributes['gluon.model']).toBe('claude-sonnet-4-5');
    const [commit] = byName('commit');
    expect(commit?.parentSpanId).toBe(run!.spanId);
    expect(commit?.attributes['gluon.commit.files']).toBe(1);
    expect(byName('review')).toHaveLength(1);
    // The phases follow each other in time.
    const start = (s: { startTimeUnixNano: string }) => BigInt(s.startTimeUnixNano);
    const end = (s: { endTimeUnixNano: string }) => BigInt(s.endTimeUnixNano);
    expect(end(byName('queue')[0]!) <= start(run!)).toBe(true);
    expect(start(commit!) >= start(run!)).toBe(true);
    expect(end(root!) >= end(run!)).toBe(true);
    expect(collector.refused).toBe(0);
  });
});
