/**
 * Prometheus metrics (prom-client), in a registry of Gluon's own: the part of metrics.ts loaded on first
 * use. Figures kept in the database (tasks and runs by status, the queue, running per worker, health, cost
 * and tokens per model) are read on each scrape, so any server of a fleet reports the same; what only this
 * process sees (event lag, WebSocket clients, breaker opens, budget refusals) is counted here as it happens.
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { GluonEvent } from '../../../../shared/events.js';
import type { MetricsRepo } from '../../storage/metrics-repo.js';
import type { Metrics } from './metrics.js';

export interface PromMetrics extends Metrics {
  /** An event heard at `heardAt` (ms since the epoch): its lag, and a breaker that opened. */
  onEvent(e: GluonEvent, heardAt: number): void;
}

const TOKEN_KINDS = ['input', 'output', 'cache_write', 'cache_read'] as const;

export function createPromMetrics(repo: MetricsRepo): PromMetrics {
  const register = new Registry();
  collectDefaultMetrics({ register, prefix: 'gluon_process_' });
  registerTaskGauges(register, repo);
  registerModelTotals(register, repo);

  const lag = new Histogram({
    name: 'gluon_event_lag_seconds',
    help: 'Time from an event being emitted to its publication (persisted; from other processes: heard).',
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [register],
  });
  const ws = new Gauge({
    name: 'gluon_websocket_clients',
    help: 'Connected WebSocket clients.',
    registers: [register],
  });
  const breaker = new Counter({
    name: 'gluon_breaker_opens_total',
    help: 'Ralph loop circuit breakers that opened.',
    registers: [register],
  });
  const refusals = new Counter({
    name: 'gluon_budget_refusals_total',
    help: 'Runs refused or stopped by a budget, by its scope.',
    labelNames: ['scope'],
    registers: [register],
  });
  const warnings = new Counter({
    name: 'gluon_budget_warnings_total',
    help: 'Budgets that crossed their warning threshold, by scope.',
    labelNames: ['scope'],
    registers: [register],
  });
  // The events of one emit share their time: parse it once.
  let lastTs = '';
  let lastAt = NaN;
  return {
    async scrape() {
      return { contentType: register.contentType, body: await register.metrics() };
    },
    wsClients: (delta) => ws.inc(delta),
    budgetRefused: (scope) => refusals.inc({ scope }),
    budgetWarned: (scope) => warnings.inc({ scope }),
    onEvent(e, heardAt) {
      if (e.ts !== lastTs) [lastTs, lastAt] = [e.ts, Date.parse(e.ts)];
      const ms = heardAt - lastAt;
      if (Number.isFinite(ms)) lag.observe(Math.max(0, ms) / 1000);
      if (e.type === 'loop.iteration' && e.data.breaker === 'open') breaker.inc();
    },
  };
}

/** Tasks and runs as the database has them (so every server of a fleet reports the same), read per scrape. */
function registerTaskGauges(register: Registry, repo: MetricsRepo): void {
  new Gauge({
    name: 'gluon_tasks',
    help: 'Tasks by status.',
    labelNames: ['status'],
    registers: [register],
    async collect() {
      this.reset();
      for (const r of await repo.tasksByStatus()) this.set({ status: r.key }, r.count);
    },
  });
  new Gauge({
    name: 'gluon_queue_depth',
    help: 'Tasks waiting in the queue.',
    registers: [register],
    async collect() {
      const rows = await repo.tasksByStatus();
      this.set(rows.find((r) => r.key === 'queued')?.count ?? 0);
    },
  });
  new Gauge({
    name: 'gluon_runs',
    help: 'Runs by status and, once ended, the reason they stopped.',
    labelNames: ['status', 'stop_reason'],
    registers: [register],
    async collect() {
      this.reset();
      for (const r of await repo.runsByStatus()) {
        const [status = '', stopReason = ''] = r.key.split('/');
        this.set({ status, stop_reason: stopReason }, r.count);
      }
    },
  });
  new Gauge({
    name: 'gluon_running_tasks',
    help: 'Running tasks per worker ("local": the server runs them itself).',
    labelNames: ['worker'],
    registers: [register],
    async collect() {
      this.reset();
      for (const r of await repo.runningByWorker()) this.set({ worker: r.key || 'local' }, r.count);
    },
  });
  new Gauge({
    name: 'gluon_task_health',
    help: 'Running tasks by health.',
    labelNames: ['health'],
    registers: [register],
    async collect() {
      this.reset();
      for (const h of ['green', 'yellow', 'red']) this.set({ health: h }, 0);
      for (const r of await repo.healthOfRunning()) this.set({ health: r.key || 'green' }, r.count);
    },
  });
}

function registerModelTotals(register: Registry, repo: MetricsRepo): void {
  let pending: ReturnType<MetricsRepo['totalsByModel']> | null = null;
  // Both gauges read the same query once per scrape.
  const totals = () => {
    pending ??= repo.totalsByModel().finally(() => setTimeout(() => (pending = null), 0));
    return pending;
  };
  new Gauge({
    name: 'gluon_cost_usd',
    help: 'Cost in USD per model, all time.',
    labelNames: ['model'],
    registers: [register],
    async collect() {
      this.reset();
      for (const t of await totals()) this.set({ model: t.model }, t.costUsd);
    },
  });
  new Gauge({
    name: 'gluon_tokens',
    help: 'Tokens per model and kind, all time.',
    labelNames: ['model', 'kind'],
    registers: [register],
    async collect() {
      this.reset();
      for (const t of await totals()) {
        const by = [t.inputTokens, t.outputTokens, t.cacheWriteTokens, t.cacheReadTokens];
        TOKEN_KINDS.forEach((kind, i) => this.set({ model: t.model, kind }, by[i] ?? 0));
      }
    },
  });
}
