/**
 * Prometheus metrics. prom-client (prom-metrics.ts) is no part of a cold start: it loads on first use (the
 * first scrape, event, WebSocket client or budget notice). What happens while it loads waits for it in
 * order, each event with the time it was heard, so a scrape misses nothing.
 */
import type { EventLog } from '../event-log.js';
import type { MetricsRepo } from '../../storage/metrics-repo.js';
import type { PromMetrics } from './prom-metrics.js';

export interface Metrics {
  /** The text a scrape returns, and its content type. */
  scrape(): Promise<{ contentType: string; body: string }>;
  /** A WebSocket client connected (+1) or left (-1). */
  wsClients(delta: 1 | -1): void;
  /** A run was refused or stopped by a budget (`scope`: project, workspace, user). */
  budgetRefused(scope: string): void;
  /** A budget crossed its warning threshold. */
  budgetWarned(scope: string): void;
}

export function createMetrics(deps: { repo: MetricsRepo; events: EventLog }): Metrics {
  let prom: PromMetrics | null = null;
  let loading: Promise<PromMetrics> | null = null;
  const waiting: ((m: PromMetrics) => void)[] = [];
  const load = () =>
    (loading ??= import('./prom-metrics.js').then(({ createPromMetrics }) => {
      const m = createPromMetrics(deps.repo);
      for (const f of waiting.splice(0)) f(m);
      prom = m;
      return m;
    }));
  /** `f` now if prom-client is loaded, else once it is (in the order asked). */
  const use = (f: (m: PromMetrics) => void) => {
    if (prom) return f(prom);
    waiting.push(f);
    // A failed load surfaces at the next scrape, which awaits it.
    load().catch(() => (loading = null));
  };
  deps.events.subscribe(
    (e) => {
      const heardAt = Date.now();
      use((m) => m.onEvent(e, heardAt));
    },
    { remote: true },
  );
  return {
    async scrape() {
      return (prom ?? (await load())).scrape();
    },
    wsClients: (delta) => use((m) => m.wsClients(delta)),
    budgetRefused: (scope) => use((m) => m.budgetRefused(scope)),
    budgetWarned: (scope) => use((m) => m.budgetWarned(scope)),
  };
}
