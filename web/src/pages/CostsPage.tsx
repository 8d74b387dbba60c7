/**
 * The Costs page: today / this week / this month, spend per day split by model, and the drill-down
 * workspace → project → task with model and cost. Models the pricing table does not know are flagged.
 */
import { useQuery } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import type { CostReport } from '../../../shared/governance-dto.js';
import { formatUsd } from '../../../shared/text.js';
import { costTree, lastDays, toSeries } from '../features/costs/cost-data.js';
import { CostTree } from '../features/costs/CostTree.js';
import { SpendChart } from '../features/costs/SpendChart.js';
import { useBoard } from '../hooks/useBoard.js';
import { useGluon } from '../hooks/useGluon.js';

export function CostsPage() {
  const { api } = useGluon();
  const tasks = useBoard();
  const totals = useQuery({ queryKey: ['costs', 'model', tasks.length], queryFn: () => api.costs('model') });
  const tree = useMemo(() => costTree(tasks), [tasks]);
  const report = totals.data;
  return (
    <main className="page page-costs" data-testid="costs-page">
      <h1>Costs</h1>
      {report?.unpricedModels.length ? (
        <p className="banner banner-warn">
          No price known for {report.unpricedModels.join(', ')}: their live cost was not estimated.
        </p>
      ) : null}
      <SpendTotals report={report} />
      <SpendPerDay taskCount={tasks.length} />
      <section>
        <h2>By model</h2>
        <table className="table">
          <tbody>
            {(report?.rows ?? []).map((r) => (
              <tr key={r.key}>
                <td>{r.label}</td>
                <td>{r.runs} runs</td>
                <td className="num">{formatUsd(r.costUsd)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      <section>
        <h2>By workspace, project and task</h2>
        <CostTree nodes={tree} />
      </section>
    </main>
  );
}

/** Spend today, this week and this month ("…" while loading). */
function SpendTotals({ report }: { report: CostReport | undefined }) {
  const periods = [
    { label: 'Today', value: report?.today, testId: 'cost-today' },
    { label: 'This week', value: report?.week },
    { label: 'This month', value: report?.month },
  ];
  return (
    <div className="stats">
      {periods.map((p) => (
        <div key={p.label} className="stat">
          <span>{p.label}</span>
          <strong data-testid={p.testId}>{p.value === undefined ? '…' : formatUsd(p.value)}</strong>
        </div>
      ))}
    </div>
  );
}

/** The chart of spend per day split by model, over a chosen period. */
function SpendPerDay({ taskCount }: { taskCount: number }) {
  const { api } = useGluon();
  const [span, setSpan] = useState(30);
  const perDay = useQuery({
    queryKey: ['costs', 'day_model', taskCount],
    queryFn: async () => (await api.costs('day_model')).rows ?? [],
  });
  const series = useMemo(() => toSeries(perDay.data ?? [], lastDays(span)), [perDay.data, span]);
  return (
    <section>
      <div className="row">
        <h2>Spend per day</h2>
        <select aria-label="Period" value={span} onChange={(e) => setSpan(Number(e.target.value))}>
          <option value={7}>7 days</option>
          <option value={30}>30 days</option>
          <option value={90}>90 days</option>
        </select>
      </div>
      {perDay.error ? (
        <p className="error">{(perDay.error as Error).message}</p>
      ) : (
        <SpendChart series={series} />
      )}
    </section>
  );
}
