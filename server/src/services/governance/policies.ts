/**
 * Policies per workspace or project (issue 13), set by admins: checked when a task is created or resumed
 * (allowed profiles, Ralph loops, minimum approval, cost cap per task), at every tool call (denied tools,
 * protected paths, the minimum approval of the policy as it is now), and on every commit (protected paths).
 */
import type { CreateTaskBody, SetPolicyBody } from '../../../../shared/api.js';
import type { PolicyEntryDto } from '../../../../shared/governance-dto.js';
import { admitTask, combinePolicies, deniedTool, type Policy } from '../../domain/policy.js';
import { protectedWrite } from '../../domain/protected-writes.js';
import { AppError, notFound } from '../../errors.js';
import { nowIso } from '../../ids.js';
import type { Storage } from '../../storage/index.js';
import { createPoliciesRepo, type PolicyScope } from '../../storage/policies-repo.js';
import type { ProjectRecord } from '../../storage/projects-repo.js';
import type { TaskRecord } from '../../storage/tasks-repo.js';
import { findScopeTarget } from './scope-target.js';

const policyDenied = (message: string) => new AppError(403, 'policy_denied', message);

export function createPolicies(deps: { storage: Storage }) {
  const repo = createPoliciesRepo(deps.storage.db);

  const target = (scope: PolicyScope, name: string) => findScopeTarget(deps.storage, scope, name);

  /** The policy that applies to a project: its workspace's and its own, combined. */
  async function effective(project: Pick<ProjectRecord, 'id' | 'workspaceId'>): Promise<Policy> {
    const [ws, own] = await Promise.all([
      repo.get('workspace', project.workspaceId),
      repo.get('project', project.id),
    ]);
    return combinePolicies([ws?.policy ?? {}, own?.policy ?? {}]);
  }

  async function forTask(task: Pick<TaskRecord, 'projectId'>): Promise<Policy> {
    const project = await deps.storage.projects.findById(task.projectId);
    return project ? effective(project) : {};
  }

  return {
    effective,
    forTask,

    async list(): Promise<PolicyEntryDto[]> {
      const [rows, projects, workspaces] = await Promise.all([
        repo.list(),
        deps.storage.projects.list(),
        deps.storage.projects.listWorkspaces(),
      ]);
      const names = new Map([...projects, ...workspaces].map((x) => [x.id, x.name]));
      return rows.map((r) => ({
        scope: r.scope,
        name: names.get(r.scopeId) ?? r.scopeId,
        policy: r.policy,
        updatedAt: r.updatedAt,
      }));
    },

    /** Sets (replaces) the policy of a workspace or a project. */
    async set(body: SetPolicyBody): Promise<PolicyEntryDto> {
      const t = await target(body.scope, body.name);
      const updatedAt = nowIso();
      await repo.upsert(body.scope, t.id, body.policy, updatedAt);
      return { scope: body.scope, name: t.name, policy: body.policy, updatedAt };
    },

    async remove(scope: PolicyScope, name: string): Promise<void> {
      const t = await target(scope, name);
      if (!(await repo.remove(scope, t.id))) throw notFound(`policy of ${scope} ${name}`);
    },

    /**
     * A new task as the policy allows it: 403 `policy_denied` for a profile or a loop it forbids; the
     * approval raised to its minimum and the cost cap lowered to its maximum otherwise.
     */
    async admitTask<B extends CreateTaskBody>(body: B, project: ProjectRecord): Promise<B> {
      const verdict = admitTask(await effective(project), {
        profile: body.profile ?? 'standard',
        ralph: body.ralph ?? false,
        approval: body.approval ?? 'auto',
        maxCostUsd: body.maxCostUsd ?? null,
      });
      if (!verdict.ok) throw policyDenied(verdict.message);
      return { ...body, approval: verdict.approval, maxCostUsd: verdict.maxCostUsd ?? undefined };
    },

    /** Another run of a task: refused when its profile or its loop is no longer allowed. */
    async admitRun(task: TaskRecord): Promise<void> {
      const verdict = admitTask(await forTask(task), {
        profile: task.profile,
        ralph: task.modeState?.mode === 'loop',
        approval: task.approval,
        maxCostUsd: task.maxCostUsd,
      });
      if (!verdict.ok) throw policyDenied(verdict.message);
    },

    /**
     * The policy's word on a tool call: refused (a denied tool, a write to a protected path), or allowed
     * to go on to the approval policy — at least the policy's minimum approval.
     */
    async gateTool(
      task: TaskRecord,
      cwd: string,
      req: { name: string; input: Record<string, unknown> },
    ): Promise<{ refused: string } | { approval: TaskRecord['approval'] }> {
      const policy = await forTask(task);
      const denied = deniedTool(policy, req.name);
      if (denied) return { refused: `the tool ${req.name} is denied by policy (${denied})` };
      const write = protectedWrite(req, cwd, policy.protectedPaths ?? []);
      if (write)
        return { refused: `${write.path} is a protected path (${write.glob}); it may not be changed` };
      const raised = admitTask(policy, {
        profile: task.profile,
        ralph: false,
        approval: task.approval,
        maxCostUsd: null,
      });
      return { approval: raised.ok ? raised.approval : task.approval };
    },
  };
}

export type Policies = ReturnType<typeof createPolicies>;
