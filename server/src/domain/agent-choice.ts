/**
 * Which coding agent runs a new task, and whether it can honour what the task asks of it. An agent that
 * lacks something a task needs is refused up front with the reason, never run with a safeguard silently
 * dropped (a `careful` task whose agent cannot wait for approval would run every command unasked).
 */
import type { AgentCapabilities, AgentName, ApprovalPolicy, Profile } from '../../../shared/api.js';

export interface AgentChoiceInput {
  /** The agent the task asks for (`--agent`), if any. */
  requested?: AgentName;
  profile: Profile;
  approval: ApprovalPolicy;
  /** How many images go with the prompt. */
  images: number;
}

export interface AgentChoiceSettings {
  /** The configured agent of each profile. */
  agentForProfile: Record<Profile, AgentName>;
  capabilitiesOf(agent: AgentName): AgentCapabilities;
}

export type AgentChoice = { ok: true; agent: AgentName } | { ok: false; message: string };

/**
 * Chooses the agent of a new task.
 * Rules:
 * - the agent the task asks for, else the one configured for its profile;
 * - `careful` and `strict` need an agent whose tool calls can wait for approval;
 * - the planning profile needs an agent with a plan mode;
 * - images need an agent that takes images;
 * - a refusal names the agent, what it lacks, and what would work instead.
 */
export function chooseAgent(input: AgentChoiceInput, settings: AgentChoiceSettings): AgentChoice {
  const agent = input.requested ?? settings.agentForProfile[input.profile];
  const can = settings.capabilitiesOf(agent);
  const chosen = input.requested ? `--agent ${agent}` : `the ${input.profile} profile's agent (${agent})`;
  if (input.approval !== 'auto' && !can.approvals)
    return refuse(`${chosen} cannot wait for approval, so --approval ${input.approval} cannot hold`);
  if (input.profile === 'planning' && !can.planMode)
    return refuse(`${chosen} has no plan mode, so the planning profile cannot run on it`);
  if (input.images > 0 && !can.images) return refuse(`${chosen} takes no images`);
  return { ok: true, agent };
}

function refuse(why: string): AgentChoice {
  return { ok: false, message: `${why}; choose another agent (--agent claude) or drop the option` };
}

/** What an agent lacks, in plain sentences for the dashboard and `GET /api/agents`. */
export function describeLacks(can: AgentCapabilities): string[] {
  const lacks: string[] = [];
  if (!can.approvals)
    lacks.push('No approvals: its tool calls cannot wait for a human, so only --approval auto is allowed.');
  if (!can.questions)
    lacks.push(
      'No live questions: it cannot ask mid-run; a question at the end of its turn still waits for your answer.',
    );
  if (!can.planMode) lacks.push('No plan mode: the planning profile cannot run on it.');
  if (!can.images) lacks.push('No images: attachments cannot go to it.');
  return lacks;
}
