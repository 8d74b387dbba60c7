/**
 * The agents' sandbox as the process found it at start (runner/sandbox.ts), applied where work starts:
 * where it cannot start, a task or a resume with the `auto` approval policy is refused (nothing would
 * hold its commands), unless the admin allowed it (`sandbox.allowUnsandboxedAuto`).
 */
import type { ApprovalPolicy, SandboxDto } from '../../../../shared/api.js';
import { conflict } from '../../errors.js';
import type { AgentSandbox } from '../../runner/claude-options.js';

/** What the health endpoint says (and the dashboard's banner shows). */
export function describeSandbox(sandbox: AgentSandbox | undefined): SandboxDto | undefined {
  if (!sandbox) return undefined;
  return {
    available: sandbox.available,
    reason: sandbox.reason,
    autoAllowed: sandbox.available || sandbox.allowUnsandboxedAuto,
  };
}

/**
 * The approval policy of a task that asks for none.
 * Rules: `auto` where it may run (a sandbox that starts, none known, or the admin's opt-out); otherwise
 * `careful`, so that a task created with the defaults runs rather than being refused.
 */
export function defaultApproval(sandbox: AgentSandbox | undefined): ApprovalPolicy {
  return !sandbox || sandbox.available || sandbox.allowUnsandboxedAuto ? 'auto' : 'careful';
}

/** The log line a process writes at start when its agents cannot be sandboxed, else null. */
export function sandboxStartLine(sandbox: AgentSandbox): string | null {
  if (sandbox.available) return null;
  return sandbox.allowUnsandboxedAuto
    ? `agents run WITHOUT a sandbox: ${sandbox.reason}; auto approval is allowed anyway (sandbox.allowUnsandboxedAuto)`
    : `agents run without a sandbox: ${sandbox.reason}; tasks with auto approval are refused here (use careful or strict, or set sandbox.allowUnsandboxedAuto)`;
}

/**
 * Refuses `auto` where the sandbox cannot start.
 * Rules: no sandbox known (a test's services) or a sandbox that starts → nothing to say; otherwise
 * `auto` is 409 `sandbox_unavailable` unless the admin allowed it; careful and strict pass.
 */
export function checkSandboxFor(sandbox: AgentSandbox | undefined, approval: ApprovalPolicy): void {
  if (!sandbox || sandbox.available || sandbox.allowUnsandboxedAuto || approval !== 'auto') return;
  throw conflict(
    'sandbox_unavailable',
    `the agent sandbox cannot start on this machine (${sandbox.reason}), so the auto approval policy is refused; use careful or strict, or an admin sets sandbox.allowUnsandboxedAuto in config.json`,
  );
}
