/**
 * Budgets per project, workspace or user, per day or month (issue 13): set and listed by admins; a new
 * run is refused once one is spent; a running agent stops when its spend reaches one (through the spend
 * caps); a warning notification goes out once per budget and period at 80 %. Refusals and warnings are
 * counted in the metrics.
 */
import type { SetBudgetBody } from '../../../../shared/api.js';
import type { BudgetDto } from '../../../../shared/governance-dto.js';
import { setBudgetBody } from '../../../../shared/api.js';
import {
  budgetLabel,
  budgetsToWarn,
  reachedBudget,
  warningText,
  type BudgetLimit,
} from '../../domain/budgets.js';
import { AppError, invalidInput, notFound } from '../../errors.js';
import { newId, nowIso } from '../../ids.js';
import { createBudgetsRepo, type BudgetRecord } from '../../storage/budgets-repo.js';
import type { Storage } from '../../storage/index.js';
import type { ProjectRecord } from '../../storage/projects-repo.js';
import { createRunUsersRepo } from '../../storage/run-users-repo.js';
import type { Notifier } from '../notifications.js';
import type { Metrics } from '../observability/metrics.js';
import { budgetLimits, currentPeriods } from './budget-limits.js';
import { findScopeTarget } from './scope-target.js';

export interface BudgetsDeps {
  storage: Storage;
  notifier: Notifier;
  metrics: Metrics;
  log: (msg: string, err?: unknown) => void;
}

/** A refusal at the start of a run: 409 `budget_exceeded`, naming the budget. */
export const budgetExceeded = (b: BudgetLimit) =>
  new AppError(409, 'budget_exceeded', `${budgetLabel(b)} is spent ($${b.spentUsd.toFixed(2)}); no new runs`);

export function createBudgets(deps: BudgetsDeps) {
  const repo = createBudgetsRepo(deps.storage.db);
  const runUsers = createRunUsersRepo(deps.storage.db);
  /** Runs already counted as stopped by a budget (a run's cost ticks many times past its budget). */
  const stopped = new Set<string>();
  /** Warnings this process has seen recorded (budget and period): no database write on every tick. */
  const warned = new Set<string>();

  async function scopeIdOf(
    scope: BudgetRecord['scope'],
    name: string,
  ): Promise<{ id: string; name: string }> {
    if (scope === 'user') return { id: name, name };
    return findScopeTarget(deps.storage, scope, name);
  }

  async function present(b: BudgetRecord): Promise<BudgetDto> {
    const [projects, workspaces] = await Promise.all([
      deps.storage.projects.list(),
      deps.storage.projects.listWorkspaces(),
    ]);
    const names = new Map([...projects, ...workspaces].map((x) => [x.id, x.name]));
    const spentUsd = await repo.spent(b.scope, b.scopeId, currentPeriods(new Date())[b.period].since);
    return {
      id: b.id,
      scope: b.scope,
      name: b.scope === 'user' ? b.scopeId : (names.get(b.scopeId) ?? b.scopeId),
      period: b.period,
      limitUsd: b.limitUsd,
      spentUsd,
      used: spentUsd / b.limitUsd,
    };
  }

  return {
    async list(): Promise<BudgetDto[]> {
      return Promise.all((await repo.list()).map(present));
    },

    /** Sets a budget (one per scope and period: setting it again changes its limit). */
    async set(input: SetBudgetBody): Promise<BudgetDto> {
      const parsed = setBudgetBody.safeParse(input);
      if (!parsed.success) throw invalidInput(parsed.error.issues[0]?.message ?? 'bad budget');
      const body = parsed.data;
      const target = await scopeIdOf(body.scope, body.name);
      const now = nowIso();
      const stored = await repo.upsert({
        id: newId(),
        scope: body.scope,
        scopeId: target.id,
        period: body.period,
        limitUsd: body.limitUsd,
        createdAt: now,
        updatedAt: now,
      });
      return present(stored);
    },

    async remove(id: string): Promise<void> {
      if (!(await repo.remove(id))) throw notFound(`budget ${id}`);
    },

    /**
     * Refuses a new run (a task's creation or resume) when a budget of its project, workspace or user is
     * spent: 409 `budget_exceeded` with the reason.
     */
    async admit(project: ProjectRecord, userId: string | undefined): Promise<void> {
      const limits = await budgetLimits(deps.storage, project, userId ?? null);
      const reached = reachedBudget(limits, 0);
      if (reached) {
        deps.metrics.budgetRefused(reached.scope);
        throw budgetExceeded(reached);
      }
    },

    /** Names the user who starts the task's next runs (its creation, a resume). */
    async recordTaskUser(taskId: string, userId: string | undefined): Promise<void> {
      if (userId) await runUsers.setTaskUser(taskId, userId);
    },

    /** Copies the task's user onto a run that starts (cost reports and budgets by user). */
    async attributeRun(taskId: string, runId: string): Promise<void> {
      const userId = await runUsers.taskUser(taskId);
      if (userId) await runUsers.setRunUser(runId, userId);
    },

    /**
     * Follows a run's spend against its budgets.
     * Rules: each budget at or past 80 % sends one `budget_warning` notification per period (the first
     * run to see it sends it, across every process); a budget reached counts one refusal per run.
     */
    onSpend(taskId: string, runId: string | null, limits: readonly BudgetLimit[], runUsd: number): void {
      const reached = reachedBudget(limits, runUsd);
      if (reached && (runId === null || !stopped.has(runId))) {
        if (runId) stopped.add(runId);
        deps.metrics.budgetRefused(reached.scope);
      }
      for (const b of budgetsToWarn(limits, runUsd)) {
        const key = `${b.id}/${b.periodKey}`;
        if (warned.has(key)) continue;
        warned.add(key);
        void repo
          .markAlert(b.id, b.periodKey, 80, nowIso())
          .then(async (first) => {
            if (!first) return;
            deps.metrics.budgetWarned(b.scope);
            await deps.notifier.notify(taskId, 'budget_warning', warningText(b, runUsd));
          })
          .catch((err) => deps.log('budget warning failed', err));
      }
    },

    /** Forgets a run that ended. */
    runEnded(runId: string): void {
      stopped.delete(runId);
    },
  };
}

export type Budgets = ReturnType<typeof createBudgets>;
