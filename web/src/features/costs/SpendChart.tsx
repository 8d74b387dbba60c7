/** Spend per day as stacked bars, one colour per model, drawn as SVG (no chart library). */
import { formatUsd } from '../../../../shared/text.js';
import type { DaySeries } from './cost-data.js';

const COLORS = ['#7c9cff', '#f5b94a', '#5fd4a0', '#ef6f8a', '#b48cff', '#4fc3f7'];

export function SpendChart({ series }: { series: DaySeries }) {
  const width = Math.max(320, series.days.length * 22);
  const height = 180;
  const pad = 24;
  const barW = (width - pad) / series.days.length - 4;
  const scale = series.max > 0 ? (height - pad) / series.max : 0;
  return (
    <figure className="chart" data-testid="spend-chart">
      <svg
        viewBox={`0 0 ${width} ${height}`}
        role="img"
        aria-label="Spend per day, by model"
        preserveAspectRatio="none"
      >
        {series.days.map((day, d) => {
          let y = height - pad;
          return (
            <g key={day}>
              {series.models.map((model, m) => {
                const h = series.cost[d]![m]! * scale;
                y -= h;
                return h > 0 ? (
                  <rect
                    key={model}
                    x={pad + d * (barW + 4)}
                    y={y}
                    width={barW}
                    height={h}
                    fill={COLORS[m % COLORS.length]}
                  >
                    <title>{`${day} · ${model}: ${formatUsd(series.cost[d]![m]!)}`}</title>
                  </rect>
                ) : null;
              })}
              {d % Math.ceil(series.days.length / 8) === 0 ? (
                <text x={pad + d * (barW + 4)} y={height - 6} className="chart-label">
                  {day.slice(5)}
                </text>
              ) : null}
            </g>
          );
        })}
        <text x={2} y={12} className="chart-label">
          {formatUsd(series.max)}
        </text>
      </svg>
      <figcaption className="legend">
        {series.models.length === 0 ? <span className="hint">No spend in this period.</span> : null}
        {series.models.map((m, i) => (
          <span key={m}>
            <i style={{ background: COLORS[i % COLORS.length] }} /> {m}
          </span>
        ))}
      </figcaption>
    </figure>
  );
}
