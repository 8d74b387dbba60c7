/**
 * Test helper for the fake agent's own tests: starts one run with hooks that record everything, in a
 * temporary working directory. Not a product module.
 */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { NewEvent } from '../../../../shared/events.js';
import type { AgentHooks, AgentRun, AgentRunRequest, ToolDecision } from '../agent.js';
import type { FakeAgent } from './fake-agent.js';

export interface Recorded {
  run: AgentRun;
  events: NewEvent[];
  costs: Parameters<AgentHooks['onCost']>[0][];
  sessions: string[];
  pids: number[];
  requests: { toolUseId: string; name: string; input: Record<string, unknown> }[];
}

export const tempCwd = () => mkdtemp(join(tmpdir(), 'gluon-fake-agent-'));

/** Starts a run of `agent`; tool calls are decided by `decide` (default: allowed). */
export function record(
  agent: FakeAgent,
  req: Partial<AgentRunRequest> & { cwd: string },
  decide: (r: Recorded['requests'][number]) => ToolDecision | Promise<ToolDecision> = () => ({ allow: true }),
): Recorded {
  const r: Omit<Recorded, 'run'> = { events: [], costs: [], sessions: [], pids: [], requests: [] };
  const run = agent.start(
    { prompt: 'do the work', model: 'claude-sonnet-4-5', env: {}, ...req },
    {
      onEvent: (e) => r.events.push(e),
      onCost: (c) => r.costs.push(c),
      onSession: (id) => r.sessions.push(id),
      onProcess: (pid) => r.pids.push(pid),
      onToolRequest: async (t) => (r.requests.push(t), decide(t)),
    },
  );
  return { ...r, run };
}

/** The events' types, in order. */
export const types = (events: NewEvent[]) => events.map((e) => e.type);
