/**
 * What the task's agent cannot do, said plainly under the run header (from `GET /api/agents`): Codex runs
 * without a human, so it cannot wait for approvals, ask mid-run or plan first. Nothing shows for an agent
 * that lacks nothing.
 */
import { useQuery } from '@tanstack/react-query';
import type { AgentName } from '../../../../shared/api.js';
import { useGluon } from '../../hooks/useGluon.js';

const LABELS: Record<AgentName, string> = { claude: 'Claude Code', codex: 'Codex' };

export function AgentLacks({ agent }: { agent: AgentName }) {
  const { api } = useGluon();
  const agents = useQuery({ queryKey: ['agents'], queryFn: () => api.agents(), staleTime: Infinity });
  const lacks = agents.data?.find((a) => a.name === agent)?.lacks ?? [];
  if (lacks.length === 0) return null;
  return (
    <div className="hint agent-lacks" data-testid="agent-lacks">
      <strong>{LABELS[agent]}</strong> runs on its own:
      <ul>
        {lacks.map((line) => (
          <li key={line}>{line}</li>
        ))}
      </ul>
    </div>
  );
}
