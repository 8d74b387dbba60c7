/**
 * The built-in formulas, as YAML text. They live in TypeScript because the build (`tsc`) copies no other
 * files; each one is the exact content of a formula file and goes through the same parsing and validation
 * as the user's (formula-store.test.ts checks that they stay valid). Copy one into `~/.gluon/formulas/` to
 * change it: a user file of the same name takes precedence (a project's file of that name is refused).
 */

/** `feature`: plan → implement → test → review, with the plan approved by a human. */
const FEATURE = `name: feature
description: Plan, implement, test and review a feature; a human approves the plan first.
variables:
  constraints:
    description: Anything the implementation must respect (libraries, style, limits)
    default: none given
steps:
  - id: plan
    name: Plan
    profile: deep
    gate:
      message: Approve the plan to start the implementation
    prompt: |
      Plan this feature: {{prompt}}

      Constraints: {{constraints}}

      Do not change any file in this step. Read the code, then write a concrete plan: the files to
      change and what changes in each, the tests to add, and the risks or open questions. End with the
      plan itself; it is shown to a human for approval.
  - id: implement
    name: Implement
    profile: standard
    prompt: |
      Implement this feature: {{prompt}}

      Follow the approved plan:

      {{steps.plan.result}}

      Keep to the plan's scope. End with a short summary of what you changed and anything you left out.
  - id: test
    name: Test
    profile: standard
    prompt: |
      Test the feature that was just implemented ({{prompt}}). Add or update tests for the new
      behaviour, including edge cases, then run the whole test suite and fix what fails. End with the
      test results and what the tests cover.
  - id: review
    name: Review
    profile: deep
    prompt: |
      Review all the changes on this branch (compare with its base branch) as a careful senior
      engineer: correctness, missing tests, error handling, security and readability. Fix small problems
      yourself and run the tests again. End with a short review for the human: what was done, what you
      fixed, and anything that still needs a decision.
`;

/** `bugfix`: diagnose → fix → test. */
const BUGFIX = `name: bugfix
description: Diagnose a bug to its root cause, fix it, and guard the fix with a regression test.
steps:
  - id: diagnose
    name: Diagnose
    profile: deep
    prompt: |
      Diagnose this bug: {{prompt}}

      Reproduce it first, with a failing test when you can. Find the root cause, not just the place
      where it shows. Do not fix it yet. End with the root cause, the evidence for it, and the fix you
      propose.
  - id: fix
    name: Fix
    profile: standard
    prompt: |
      Fix this bug at its root cause: {{prompt}}

      The diagnosis:

      {{steps.diagnose.result}}

      Keep the change as small as the fix allows. End with a short summary of the change.
  - id: test
    name: Test
    profile: standard
    prompt: |
      Make sure a regression test covers the bug that was just fixed ({{prompt}}): it must fail without
      the fix and pass with it. Run the whole test suite and fix what fails. End with the test results.
`;

/** Built-in formula files by name. */
export const BUILTIN_FORMULAS: Readonly<Record<string, string>> = {
  feature: FEATURE,
  bugfix: BUGFIX,
};
