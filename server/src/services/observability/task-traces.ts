/**
 * OpenTelemetry traces of a task's life, built from its events: a `task` span from the moment it is queued
 * until it settles, with children `queue` (queued → running), `run` (each agent run), `commit` (each
 * commit of the agent's work, inside its run) and `review` (the task reaching review). A resume starts a
 * new `task` trace. Times are the events' own, so a trace shows when things happened, not when heard.
 */
import { ROOT_CONTEXT, SpanStatusCode, trace, type Span, type Tracer } from '@opentelemetry/api';
import type { GluonEvent } from '../../../../shared/events.js';

interface TaskSpans {
  root: Span;
  queue: Span | null;
  runs: Map<string, Span>;
}

const SETTLED = new Set(['review', 'done', 'failed', 'cancelled']);

/** Follows events and turns each task's life into spans on `tracer`. */
export function createTaskTraces(tracer: Tracer) {
  const open = new Map<string, TaskSpans>();
  const under = (parent: Span) => trace.setSpan(ROOT_CONTEXT, parent);

  function started(e: GluonEvent, at: Date): TaskSpans {
    const root = tracer.startSpan(
      'task',
      { startTime: at, attributes: { 'gluon.task.id': e.taskId } },
      ROOT_CONTEXT,
    );
    const spans: TaskSpans = { root, queue: null, runs: new Map() };
    open.set(e.taskId, spans);
    return spans;
  }

  function settle(taskId: string, spans: TaskSpans, to: string, at: Date): void {
    spans.queue?.end(at);
    for (const run of spans.runs.values()) run.end(at);
    if (to === 'review') tracer.startSpan('review', { startTime: at }, under(spans.root)).end(at);
    spans.root.setAttribute('gluon.task.status', to);
    if (to === 'failed') spans.root.setStatus({ code: SpanStatusCode.ERROR });
    spans.root.end(at);
    open.delete(taskId);
  }

  function onStatus(e: Extract<GluonEvent, { type: 'status.changed' }>, at: Date): void {
    const { from, to } = e.data;
    let spans = open.get(e.taskId);
    if (to === 'queued') {
      spans ??= started(e, at);
      spans.root.setAttribute('gluon.task.resumed', from !== null);
      spans.queue = tracer.startSpan('queue', { startTime: at }, under(spans.root));
      return;
    }
    if (!spans) return;
    if (to === 'running') {
      spans.queue?.end(at);
      spans.queue = null;
    } else if (SETTLED.has(to)) settle(e.taskId, spans, to, at);
  }

  /** Takes one event (in order per task). */
  function onEvent(e: GluonEvent): void {
    const at = new Date(e.ts);
    if (e.type === 'status.changed') return onStatus(e, at);
    const spans = open.get(e.taskId);
    if (!spans) return;
    if (e.type === 'run.started') {
      const attributes = {
        'gluon.run.id': e.data.runId,
        'gluon.model': e.data.model,
        'gluon.run.kind': e.data.kind,
      };
      spans.runs.set(e.data.runId, tracer.startSpan('run', { startTime: at, attributes }, under(spans.root)));
    } else if (e.type === 'git.committed') {
      const parent = (e.runId && spans.runs.get(e.runId)) || spans.root;
      const attributes = { 'gluon.commit.sha': e.data.sha, 'gluon.commit.files': e.data.files.length };
      tracer.startSpan('commit', { startTime: at, attributes }, under(parent)).end(at);
    } else if (e.type === 'run.ended') {
      const run = spans.runs.get(e.data.runId);
      if (!run) return;
      run.setAttribute('gluon.run.stop_reason', e.data.stopReason);
      run.setAttribute('gluon.run.cost_usd', e.data.costUsd);
      if (e.data.error) run.setStatus({ code: SpanStatusCode.ERROR, message: e.data.error });
      run.end(at);
      spans.runs.delete(e.data.runId);
    }
  }

  return {
    onEvent,
    /** Ends what is still open (shutdown): the spans say they were cut short. */
    endAll(): void {
      const now = new Date();
      for (const [taskId, spans] of open) {
        spans.root.setAttribute('gluon.task.open_at_shutdown', true);
        settle(taskId, spans, 'running', now);
      }
    },
  };
}
