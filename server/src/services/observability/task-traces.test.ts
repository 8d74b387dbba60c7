import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { describe, expect, it } from 'vitest';
import type { GluonEvent } from '../../../../shared/events.js';
import { createTaskTraces } from './task-traces.js';

function setup() {
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
  const traces = createTaskTraces(provider.getTracer('test'));
  let seq = 0;
  const at = (s: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, s)).toISOString();
  const emit = (taskId: string, s: number, e: Record<string, unknown>) =>
    traces.onEvent({ taskId, seq: ++seq, ts: at(s), runId: null, ...e } as unknown as GluonEvent);
  const spans = () => exporter.getFinishedSpans();
  return { traces, emit, spans };
}

const status = (from: string | null, to: string) => ({ type: 'status.changed', data: { from, to } });

describe('task traces', () => {
  it('one trace per life: a failed run marks the run and the task as errors; a resume starts a new trace', () => {
    const { emit, spans } = setup();
    emit('t1', 0, status(null, 'queued'));
    emit('t1', 2, status('queued', 'running'));
    emit('t1', 3, { type: 'run.started', data: { runId: 'r1', kind: 'initial', model: 'm' } });
    emit('t1', 9, {
      type: 'run.ended',
      data: { runId: 'r1', stopReason: 'error', costUsd: 0.5, error: 'boom' },
    });
    emit('t1', 10, status('running', 'failed'));
    const first = [...spans()];
    expect(first.map((s) => s.name).sort()).toEqual(['queue', 'run', 'task']);
    const task = first.find((s) => s.name === 'task')!;
    expect(task.status.code).toBe(2);
    expect(first.find((s) => s.name === 'run')!.status).toMatchObject({ code: 2, message: 'boom' });
    expect(first.find((s) => s.name === 'queue')!.duration[0]).toBe(2);

    emit('t1', 20, status('failed', 'queued'));
    emit('t1', 21, status('queued', 'running'));
    emit('t1', 22, status('running', 'review'));
    const second = spans().slice(first.length);
    const again = second.find((s) => s.name === 'task')!;
    expect(again.spanContext().traceId).not.toBe(task.spanContext().traceId);
    expect(again.attributes['gluon.task.resumed']).toBe(true);
    expect(second.map((s) => s.name).sort()).toEqual(['queue', 'review', 'task']);
  });

  it('ignores events of tasks it never saw queued, and ends open spans at shutdown', () => {
    const { traces, emit, spans } = setup();
    emit('old', 1, { type: 'run.started', data: { runId: 'r', kind: 'initial', model: 'm' } });
    expect(spans()).toHaveLength(0);
    emit('t2', 0, status(null, 'queued'));
    traces.endAll();
    const task = spans().find((s) => s.name === 'task')!;
    expect(task.attributes['gluon.task.open_at_shutdown']).toBe(true);
  });
});
