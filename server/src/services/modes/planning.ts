/**
 * The planning profile: the agent first works in plan mode and presents a plan (ExitPlanMode), which is
 * held for a human; approving it continues the same session in execution mode; feedback revises the plan.
 */
import {
  EXIT_PLAN_MODE_TOOL,
  PLAN_HELD_MESSAGE,
  PLANNING_INSTRUCTIONS,
  approvedPlanPrompt,
  findPlan,
  planFromExitPlanMode,
  revisePlanPrompt,
} from '../../domain/plan-mode.js';
import type { PlanningState } from '../../domain/task-mode.js';
import { newId, nowIso } from '../../ids.js';
import type { TaskRecord } from '../../storage/tasks-repo.js';
import type { ModeDriver } from './mode-driver.js';
import { plainAfterRun, plainNextRun } from './plain.js';

const stateOf = (task: TaskRecord): PlanningState =>
  task.modeState?.mode === 'planning' ? task.modeState : { mode: 'planning', phase: 'planning', plan: null };

export function createPlanningDriver(): ModeDriver {
  /** Plans presented during the current run, by task: the run ends with the plan held. */
  const presented = new Map<string, string | null>();

  return {
    async nextRun(task) {
      const state = stateOf(task);
      if (state.phase === 'executing') return plainNextRun(task);
      presented.delete(task.id);
      const next = plainNextRun(task, {
        planMode: true,
        appendSystemPrompt: PLANNING_INSTRUCTIONS,
        kind: 'plan',
      });
      if (next.kind === 'run') next.spec.modeState = state;
      return next;
    },

    onToolRequest(task, req) {
      if (req.name !== EXIT_PLAN_MODE_TOOL || stateOf(task).phase !== 'planning') return undefined;
      // Claude Code may hand the permission check a plan read from its plan file rather than the model's
      // input; whatever is missing here is found in the run's tool calls afterwards.
      presented.set(task.id, planFromExitPlanMode(req.input)?.plan ?? null);
      return { allow: false, hold: true, message: PLAN_HELD_MESSAGE };
    },

    /**
     * Rules: while planning, a presented plan (or, failing that, the run's final text) is held in review
     * for approval — the interruption that holds it is not an error; no plan and an error fail the task.
     * Once executing, the run ends like a plain one.
     */
    async afterRun(result) {
      const state = stateOf(result.task);
      if (state.phase === 'executing') return plainAfterRun(result);
      const wasHeld = presented.has(result.task.id);
      const held = presented.get(result.task.id) ?? null;
      presented.delete(result.task.id);
      const fromRun = findPlan({ toolCalls: result.toolCalls, finalText: result.outcome.finalText });
      const found =
        held ??
        (fromRun?.source === 'plan_file'
          ? `The plan is in ${fromRun.planFilePath}`
          : (fromRun?.plan ?? null));
      if (!found || (!wasHeld && result.outcome.error)) return plainAfterRun(result);
      return {
        kind: 'settle',
        to: 'review',
        stopReason: 'input_required',
        reason: 'the plan waits for approval',
        notify: 'input_required',
        patch: {
          error: null,
          inputRequired: true,
          pendingInput: {
            requestId: newId(),
            kind: 'approval',
            live: false,
            toolName: EXIT_PLAN_MODE_TOOL,
            text: found,
            reason: 'approve the plan to start the work, or send feedback to revise it',
            createdAt: nowIso(),
          },
          modeState: { ...state, plan: found },
        },
      };
    },

    resume(task, text) {
      const state = stateOf(task);
      if (state.phase === 'executing') return { prompt: text };
      return { prompt: revisePlanPrompt(text), modeState: state };
    },

    approveHeld(task) {
      const state = stateOf(task);
      if (state.phase !== 'planning' || !state.plan) return null;
      return { prompt: approvedPlanPrompt(), modeState: { ...state, phase: 'executing' } };
    },

    denyHeld(task, reason) {
      const state = stateOf(task);
      if (state.phase !== 'planning' || !state.plan) return null;
      return {
        prompt: revisePlanPrompt(
          reason ?? 'The reviewer did not accept this plan. Propose a different approach.',
        ),
        modeState: state,
      };
    },
  };
}
