/**
 * The seam between Gluon and a coding agent. Claude Code is one implementation (claude-agent.ts); another
 * agent (Codex, Gemini) is one more file implementing `Agent`. Agents report through hooks and know
 * nothing of the database or of task status.
 */
import type { AgentCapabilities, AgentName, ApprovalPolicy } from '../../../shared/api.js';
import type { NewEvent } from '../../../shared/events.js';
import type { ModelCost } from '../domain/pricing.js';
import type { StopCause } from '../domain/run-ending.js';

export type { AgentCapabilities, AgentName, ModelCost, StopCause };

export interface AgentRunRequest {
  prompt: string;
  cwd: string;
  model: string;
  /** Continue this agent session instead of starting a new one. */
  resumeSessionId?: string | null;
  /** Continue a copy of `resumeSessionId` under a new session id (a forked task), leaving it as it was. */
  forkSession?: boolean;
  /** The session's cumulative cost reported at the end of its previous run (resumed totals include it). */
  priorSessionTotalUsd?: number;
  /** The complete environment of the agent process (already allowlisted). */
  env: Record<string, string>;
  /** Start in plan mode (the agent plans, does not edit). */
  planMode?: boolean;
  /** Images sent with the prompt (the task's attachments, on its first run). */
  images?: { mediaType: string; base64: string }[];
  /** Extra instructions appended to the agent's system prompt. */
  appendSystemPrompt?: string;
  /** The run's id: it names the run's cgroup and marks its processes (`GLUON_RUN_ID`). */
  runId?: string;
  /**
   * Load the repository's own agent settings (`.claude/settings.json`, `settings.local.json`): hooks and
   * pre-approved tools. Off unless the project opted in: a repository must not configure its own agent.
   */
  projectSettings?: boolean;
  /** The task's approval policy: an agent that cannot honour it refuses to start rather than ignore it. */
  approval?: ApprovalPolicy;
  /** Hosts the project's policy lets the agent's commands reach besides the model's API (the sandbox). */
  allowedHosts?: readonly string[];
}

export type ToolDecision =
  | { allow: true; updatedInput?: Record<string, unknown> }
  | {
      allow: false;
      message: string;
      interrupt?: boolean;
      /** The run ends here on purpose and waits for a human (a plan held for review): not an error. */
      hold?: boolean;
    };

export interface AgentHooks {
  onEvent(event: NewEvent): void;
  onSession(sessionId: string): void;
  /** The live cost of this run changed (estimated from usage until the run ends). */
  onCost(cost: { runCostUsd: number; byModel: ModelCost[]; unknownModel?: string }): void;
  /** The agent wants to use a tool; resolve to let it or not. May wait for a human. */
  onToolRequest(req: {
    toolUseId: string;
    name: string;
    input: Record<string, unknown>;
  }): Promise<ToolDecision>;
  onProcess(pid: number): void;
}

export interface AgentOutcome {
  /** The agent finished its turn normally (not stopped, not failed). */
  ok: boolean;
  /** Set when `stop()` ended the run. */
  stoppedBy: StopCause | null;
  sessionId: string | null;
  /** The agent's last text: its summary or its question. */
  finalText: string | null;
  /** The run's own cost (reconciled with the agent's reported total when it reported one). */
  costUsd: number;
  /** The agent's cumulative session total as it reported it (to reconcile the next resume). */
  sessionTotalUsd: number | null;
  byModel: ModelCost[];
  reconciled: boolean;
  error: { message: string; retryable: boolean } | null;
  permissionDenials: number;
}

export interface AgentRun {
  /** Resolves when the agent process is gone. Never rejects. */
  readonly done: Promise<AgentOutcome>;
  /** Stops the agent now: interrupt, then SIGINT → SIGTERM → SIGKILL on all its processes. */
  stop(cause: StopCause): void;
}

export interface Agent {
  readonly name: string;
  /** What the agent can do besides working on its own (the API and the dashboard say what it lacks). */
  readonly capabilities: AgentCapabilities;
  start(req: AgentRunRequest, hooks: AgentHooks): AgentRun;
  /** Starts loading what a run needs (code loaded on first use), so that it overlaps the run's git work. */
  warm?(): void;
}

/** The agents a server can run, by the name a task records. */
export interface AgentRegistry {
  get(name: AgentName): Agent;
}

/** Whether an agent's error text looks transient (overload, rate limit, network) rather than fatal. */
export function isRetryableError(text: string): boolean {
  return /\b(429|500|502|503|504|529)\b|overloaded|rate.?limit|ECONNRESET|ECONNREFUSED|ETIMEDOUT|socket hang up|network/i.test(
    text,
  );
}
