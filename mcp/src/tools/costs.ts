/** The cost report: what the agents have cost today, this week, this month, in total, and a breakdown. */
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { costQuery } from '../../../shared/api.js';
import type { CostReport } from '../../../shared/governance-dto.js';
import type { CostGrouping, GluonClient } from '../../../shared/client.js';
import { formatUsd, plural } from '../../../shared/text.js';
import { guarded } from '../tool-result.js';

/** Registers `cost_report`. */
export function registerCostTools(server: McpServer, client: GluonClient): void {
  server.registerTool(
    'cost_report',
    {
      title: 'Cost report',
      description:
        'What the agents run by Gluon have cost (US dollars, API prices): today, this week, this month and in total, ' +
        'optionally broken down by day, project, task or model. Models missing from the pricing table are named.',
      inputSchema: {
        by: costQuery.shape.by.describe(
          'Also break the total down by day, project, task, model or day_model.',
        ),
      },
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    guarded(async ({ by }: { by?: CostGrouping }) => costText(await client.costs(by))),
  );
}

/** The report as lines: the four totals, the breakdown rows, and the unpriced models. */
export function costText(report: CostReport): string {
  const lines = [
    `today ${formatUsd(report.today)} · this week ${formatUsd(report.week)} · this month ${formatUsd(report.month)} · total ${formatUsd(report.total)}`,
  ];
  if (report.by && report.rows) {
    lines.push('', `by ${report.by}:`);
    if (report.rows.length === 0) lines.push('  (nothing yet)');
    for (const row of report.rows)
      lines.push(`  ${row.label}: ${formatUsd(row.costUsd)} in ${plural(row.runs, 'run')}`);
  }
  if (report.unpricedModels.length)
    lines.push('', `not priced (unknown to the pricing table): ${report.unpricedModels.join(', ')}`);
  return lines.join('\n');
}
