/**
 * A repository's formula may carry `verify` commands, which Gluon runs on the host after a step. They
 * are the repository's words, not the user's: judged like a Bash call of the agent under the task's
 * approval policy, one that would wait for approval is refused when the task is created.
 *
 * Why refuse rather than wait: verify runs between runs, when no agent is waiting and nothing shows the
 * task as held; refusing at creation tells the user at once, names the command, and leaves two plain ways
 * on (the `auto` policy, or the formula copied to `~/.gluon/formulas`, which makes it the user's own).
 */
import type { ApprovalPolicy } from '../../../shared/api.js';
import { decideApproval } from '../domain/approval-policy.js';
import type { LoadedFormula } from './formula-store.js';

/**
 * Why a task with this formula and policy may not be created, or null.
 * Rules: only project formulas are judged (user and built-in ones are the user's and Gluon's); each
 * step's verify command counts as a Bash call: under `strict` every one is refused, under `careful` a
 * destructive one, under `auto` none.
 */
export function refuseRepositoryVerify(loaded: LoadedFormula, policy: ApprovalPolicy): string | null {
  if (loaded.scope !== 'project') return null;
  for (const step of loaded.formula.steps) {
    if (!step.verify) continue;
    const verdict = decideApproval(
      policy,
      { name: 'Bash', input: { command: step.verify } },
      { worktreePath: '/' },
    );
    if (verdict.action === 'allow') continue;
    return (
      `step ${step.name} of ${loaded.file} runs \`${step.verify}\` on the host, and under the ${policy} policy ` +
      `that waits for approval (${verdict.reason}); a repository's verify command is refused then: ` +
      `use --approval auto, or copy the formula to ~/.gluon/formulas to make it yours`
    );
  }
  return null;
}
