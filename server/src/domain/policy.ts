/**
 * Policies an admin sets on a workspace or a project: allowed profiles, a maximum cost per task, a
 * minimum approval policy, denied tools, whether Ralph loops are allowed, protected paths, and the hosts
 * the agent's sandboxed commands may reach. The
 * workspace's and the project's policies combine, the stricter winning on every point.
 */
import type { ApprovalPolicy, PolicyDto, Profile } from '../../../shared/api.js';

export type Policy = PolicyDto;

const APPROVAL_ORDER: ApprovalPolicy[] = ['auto', 'careful', 'strict'];

const stricterApproval = (a: ApprovalPolicy, b: ApprovalPolicy): ApprovalPolicy =>
  APPROVAL_ORDER.indexOf(a) >= APPROVAL_ORDER.indexOf(b) ? a : b;

/**
 * The policy that applies where several are set (a workspace's, then its project's).
 * Rules: allowed profiles intersect; the lowest cost cap holds; the strictest minimum approval holds;
 * denied tools and protected paths add up; a loop is allowed only if no policy forbids it; the hosts the
 * agent's commands may reach add up too (the workspace's for every project, a project's for its own).
 */
export function combinePolicies(policies: readonly Policy[]): Policy {
  const out: Policy = {};
  for (const p of policies) {
    if (p.allowedProfiles)
      out.allowedProfiles = out.allowedProfiles
        ? out.allowedProfiles.filter((x) => p.allowedProfiles!.includes(x))
        : [...p.allowedProfiles];
    if (p.maxCostPerTaskUsd !== undefined)
      out.maxCostPerTaskUsd = Math.min(out.maxCostPerTaskUsd ?? Infinity, p.maxCostPerTaskUsd);
    if (p.minApproval) out.minApproval = stricterApproval(out.minApproval ?? 'auto', p.minApproval);
    if (p.deniedTools) out.deniedTools = [...new Set([...(out.deniedTools ?? []), ...p.deniedTools])];
    if (p.ralphAllowed !== undefined) out.ralphAllowed = (out.ralphAllowed ?? true) && p.ralphAllowed;
    if (p.protectedPaths)
      out.protectedPaths = [...new Set([...(out.protectedPaths ?? []), ...p.protectedPaths])];
    if (p.allowedHosts) out.allowedHosts = [...new Set([...(out.allowedHosts ?? []), ...p.allowedHosts])];
  }
  return out;
}

export interface TaskAsked {
  profile: Profile;
  /** Profiles its formula's steps run with, besides its own. */
  stepProfiles?: Profile[];
  ralph: boolean;
  approval: ApprovalPolicy;
  maxCostUsd: number | null;
}

export type PolicyVerdict =
  | { ok: true; approval: ApprovalPolicy; maxCostUsd: number | null; notes: string[] }
  | { ok: false; message: string };

/**
 * Whether a task may be created as asked, and with what approval and cost cap.
 * Rules: a profile (its own or a formula step's) outside the allowed ones is refused; a Ralph loop where
 * loops are not allowed is refused; an approval below the minimum is raised to it; a cost cap above the
 * maximum, or none, becomes the maximum. Each change is named in `notes`.
 */
export function admitTask(policy: Policy, asked: TaskAsked): PolicyVerdict {
  const allowed = policy.allowedProfiles;
  const profiles = [asked.profile, ...(asked.stepProfiles ?? [])];
  const refused = allowed ? profiles.find((p) => !allowed.includes(p)) : undefined;
  if (refused)
    return {
      ok: false,
      message: `the policy allows only the ${allowed!.join(', ') || '(no)'} profile(s), not ${refused}`,
    };
  if (asked.ralph && policy.ralphAllowed === false)
    return { ok: false, message: 'the policy does not allow Ralph loops here' };
  const notes: string[] = [];
  let approval = asked.approval;
  if (policy.minApproval && stricterApproval(approval, policy.minApproval) !== approval) {
    approval = policy.minApproval;
    notes.push(`approval raised to ${approval} by policy`);
  }
  let maxCostUsd = asked.maxCostUsd;
  const max = policy.maxCostPerTaskUsd;
  if (max !== undefined && (maxCostUsd === null || maxCostUsd > max)) {
    maxCostUsd = max;
    notes.push(`cost cap set to $${max} by policy`);
  }
  return { ok: true, approval, maxCostUsd, notes };
}

/** Whether a tool is denied: its exact name, or a pattern ending in `*` (`mcp__github__*`). */
export function deniedTool(policy: Policy, name: string): string | null {
  for (const d of policy.deniedTools ?? []) {
    if (d === name || (d.endsWith('*') && name.startsWith(d.slice(0, -1)))) return d;
  }
  return null;
}
