/**
 * The seam between the run lifecycle (runs/: start an agent, record what it does, commit) and the
 * task's mode (plain, Ralph loop, formula, planning): a driver says what the next run is and what a
 * finished run means for the task. Drivers never write status; they return decisions that the run lifecycle applies.
 */
import type { StopReason } from '../../../../shared/api.js';
import type { ModeState } from '../../domain/task-mode.js';
import type { AgentOutcome, ToolDecision } from '../../runner/agent.js';
import type { TaskRecord } from '../../storage/tasks-repo.js';
import type { TaskChanges } from '../task-state.js';
import type { NotificationKind } from '../../domain/run-ending.js';

export interface RunSpec {
  prompt: string;
  model: string;
  /** Continue this session; null starts a fresh one. */
  resumeSessionId: string | null;
  planMode: boolean;
  kind: 'initial' | 'resume' | 'iteration' | 'step' | 'plan';
  label: string | null;
  appendSystemPrompt?: string;
  /** The mode's state as it should be stored when this run starts. */
  modeState?: ModeState | null;
}

/** How a task's work ends for now: the status it settles in, why, and what else changes. */
export interface Settle {
  to: 'review' | 'failed';
  stopReason: StopReason;
  reason: string;
  patch?: TaskChanges;
  notify?: NotificationKind;
}

export type NextRun =
  | { kind: 'run'; spec: RunSpec }
  | { kind: 'settle'; settle: Settle }
  | { kind: 'wait'; ms: number; note: string };

export type Decision = ({ kind: 'settle' } & Settle) | { kind: 'continue'; patch?: TaskChanges };

/** What one finished run did, measured by runs.ts. */
export interface RunResult {
  task: TaskRecord;
  outcome: AgentOutcome;
  cwd: string;
  runId: string;
  progress: { commits: string[]; files: string[] };
  toolCalls: { name: string; input: unknown }[];
  /** The agent's environment, for commands the mode runs in the worktree (verify). */
  env: Record<string, string>;
}

/** What a user's words do to a settled task of this mode: the next run's prompt and the mode's new state. */
export interface Resumption {
  prompt: string;
  modeState?: ModeState | null;
  /** False when nothing is left to run (e.g. the last step's gate approved): the task stays settled. */
  run?: boolean;
}

export interface ModeDriver {
  /** The next run of a task that is `running` without an agent (just started, or between runs). */
  nextRun(task: TaskRecord, now: number): Promise<NextRun>;
  /** What a finished run (not stopped by a human or a cap) means for the task. */
  afterRun(result: RunResult, now: number): Promise<Decision>;
  /** A tool call the mode decides itself (e.g. ExitPlanMode while planning); undefined: the policy decides. */
  onToolRequest?(
    task: TaskRecord,
    req: { name: string; input: Record<string, unknown> },
  ): ToolDecision | undefined;
  /** Resuming a settled task with feedback or an answer. */
  resume(task: TaskRecord, text: string): Resumption;
  /** Approving what the mode holds for a human (a plan, a gated step); null when it holds nothing. */
  approveHeld?(task: TaskRecord): Resumption | null;
  /** Refusing it, with the reviewer's words; null when it holds nothing. */
  denyHeld?(task: TaskRecord, reason: string | undefined): Resumption | null;
}
