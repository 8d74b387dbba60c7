/**
 * The Loop tab: the Ralph loop's iterations (files and commits, errors, verify, cost, exit signal,
 * breaker, decision), the breaker's state and the cost against the cap, from `loop.iteration` events.
 */
import type { TaskDto } from '../../../../shared/api.js';
import type { EventDataMap, GluonEvent } from '../../../../shared/events.js';
import { formatUsd } from '../../../../shared/text.js';
import type { EventStore } from '../../stores/event-store.js';

export type Iteration = EventDataMap['loop.iteration'] & { seq: number };

/** The loop's iterations in order. */
export function iterationsOf(events: readonly GluonEvent[]): Iteration[] {
  const out: Iteration[] = [];
  for (const e of events) if (e.type === 'loop.iteration') out.push({ ...e.data, seq: e.seq });
  return out;
}

export function LoopTab({ task, store }: { task: TaskDto; store: EventStore }) {
  const iterations = iterationsOf(store.events);
  if (!task.loop && iterations.length === 0)
    return <p className="empty">This task does not run as a Ralph loop.</p>;
  const cap = task.loop?.maxCostUsd ?? task.maxCostUsd;
  const breaker = task.loop?.breaker ?? iterations.at(-1)?.breaker ?? 'closed';
  return (
    <div className="loop" data-testid="loop-tab">
      <div className="loop-summary">
        <span>
          Iterations <strong>{task.iterations || iterations.length}</strong>
          {task.loop ? ` / ${task.loop.maxIterations}` : ''}
        </span>
        <span className={`breaker breaker-${breaker}`}>Breaker: {breaker.replace('_', '-')}</span>
        <span>
          Cost {formatUsd(task.costUsd)}
          {cap !== null && cap !== undefined ? ` of ${formatUsd(cap)}` : ''}
        </span>
        {cap ? (
          <progress max={cap} value={Math.min(task.costUsd, cap)} aria-label="Cost against cap" />
        ) : null}
      </div>
      <table className="table">
        <thead>
          <tr>
            <th>#</th>
            <th>Status</th>
            <th>Files</th>
            <th>Commits</th>
            <th>Exit</th>
            <th>Verify</th>
            <th>Breaker</th>
            <th>Cost</th>
            <th>Decision / errors</th>
          </tr>
        </thead>
        <tbody>
          {iterations.map((it) => (
            <tr key={it.seq}>
              <td>{it.iteration}</td>
              <td>{it.status ?? '—'}</td>
              <td title={it.filesChanged.join('\n')}>{it.filesChanged.length}</td>
              <td title={it.commits.join('\n')}>{it.commits.length}</td>
              <td>{it.exitSignal ? 'yes' : 'no'}</td>
              <td title={it.verify?.output}>{it.verify ? `exit ${it.verify.exitCode}` : '—'}</td>
              <td>{it.breaker.replace('_', '-')}</td>
              <td>{formatUsd(it.costUsd)}</td>
              <td>{[it.decision, ...it.errors].filter(Boolean).join('; ')}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
