/**
 * The Grafana dashboard in docs/ names only metrics Gluon exports: every metric in every panel's query is
 * registered by the metrics service (histograms by their `_bucket` series, default process metrics by
 * their `gluon_process_` prefix).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createMetrics } from './metrics.js';
import type { EventLog } from '../event-log.js';
import type { MetricsRepo } from '../../storage/metrics-repo.js';

const ROOT = path.resolve(import.meta.dirname, '../../../..');

describe('docs/grafana-dashboard.json', () => {
  it('queries only metrics that exist', async () => {
    const none = async () => [];
    const repo: MetricsRepo = {
      tasksByStatus: none,
      runsByStatus: none,
      runningByWorker: none,
      healthOfRunning: none,
      totalsByModel: none,
    };
    const events = { subscribe: () => () => {} } as unknown as EventLog;
    const metrics = createMetrics({ repo, events });
    metrics.wsClients(1);
    const { body } = await metrics.scrape();
    const exported = new Set(
      body
        .split('\n')
        .filter((l) => l.startsWith('# TYPE '))
        .map((l) => l.split(' ')[2]!),
    );
    const dashboard = JSON.parse(readFileSync(path.join(ROOT, 'docs/grafana-dashboard.json'), 'utf8'));
    const used = new Set<string>();
    for (const p of dashboard.panels)
      for (const t of p.targets) for (const m of t.expr.match(/gluon_[a-z_]+/g) ?? []) used.add(m);
    expect(used.size).toBeGreaterThan(10);
    for (const m of used) expect(exported.has(m.replace(/_bucket$/, '')), m).toBe(true);
  });
});
