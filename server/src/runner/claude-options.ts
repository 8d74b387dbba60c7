/**
 * The parts of a Claude Code session that keep the agent inside what Gluon decides: which settings files
 * it loads, where its HOME is, and a hook that sends every tool call to Gluon's approval policy.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import type {
  HookCallbackMatcher,
  PermissionResult,
  SandboxSettings,
  SettingSource,
} from '@anthropic-ai/claude-agent-sdk';
import type { AgentHooks, AgentRun, AgentRunRequest } from './agent.js';
import { agentHomeFence, agentHomeOf, prepareAgentHome, withAgentHome } from './agent-home.js';
import { sandboxSettings, webFetchRefusal, type SandboxStatus } from './sandbox.js';

/**
 * Which settings files the agent loads.
 * Rules: the user's (in the agent's own home) always; the repository's `.claude/settings.json` and
 * `settings.local.json` only when the project opted in, since they can run hooks (shell commands) on the
 * host and pre-approve tools before the approval policy sees them.
 */
export function settingSourcesFor(req: Pick<AgentRunRequest, 'projectSettings'>): SettingSource[] {
  return req.projectSettings ? ['user', 'project', 'local'] : ['user'];
}

/** Gluon's answer to one tool call, as `canUseTool` gives it to Claude Code. */
export type ToolPolicy = (
  toolUseId: string,
  name: string,
  input: Record<string, unknown>,
) => Promise<PermissionResult>;

/**
 * Gluon's approval policy (`decide`) as Claude Code takes its answer. Rules: allowed → allow (with the
 * input the policy changed); allowed, but a web fetch to a host off the sandbox's list → denied; denied →
 * denied with the policy's message, interrupting the run when it says so; a hold also calls `onHold` (the
 * run ends waiting for a human).
 */
export function gluonPolicy(
  decide: AgentHooks['onToolRequest'],
  allowedHosts: string[] | undefined,
  onHold: () => void,
): ToolPolicy {
  return async (toolUseId, name, input) => {
    const decision = await decide({ toolUseId, name, input });
    const offLimits = decision.allow && allowedHosts ? webFetchRefusal(name, input, allowedHosts) : null;
    if (offLimits) return { behavior: 'deny', message: `Not allowed: ${offLimits}.` };
    if (decision.allow) return { behavior: 'allow', updatedInput: decision.updatedInput ?? input };
    if (decision.hold) onHold();
    return {
      behavior: 'deny',
      message: decision.message,
      interrupt: decision.interrupt ?? decision.hold ?? false,
    };
  };
}

/**
 * Asks `policy` once per tool call, however many times Claude Code asks about it (the PreToolUse hook,
 * then `canUseTool`): the second ask gets the first one's answer, even one still waiting for a human.
 * `settle` forgets a call once Claude Code has its answer.
 */
export function oncePerCall(policy: ToolPolicy): { decide: ToolPolicy; settle(toolUseId: string): void } {
  const asked = new Map<string, Promise<PermissionResult>>();
  return {
    decide(toolUseId, name, input) {
      let answer = asked.get(toolUseId);
      if (!answer) asked.set(toolUseId, (answer = policy(toolUseId, name, input)));
      return answer;
    },
    settle: (toolUseId) => asked.delete(toolUseId),
  };
}

/** Tools whose answer Claude Code takes from `canUseTool` alone: a question's answers, leaving plan mode. */
const ANSWERED_IN_CAN_USE_TOOL = new Set(['AskUserQuestion', 'ExitPlanMode']);

/** How long the hook may wait for a human's approval (the policy's own timeout ends it sooner). */
const HOOK_TIMEOUT_S = 24 * 3600;

/**
 * A PreToolUse hook that sends every tool call to Gluon's approval policy: without it Claude Code lets
 * commands it deems read-only (`echo`, `cat` inside the working directory) and whatever a settings file
 * allows run unasked, and `strict` would not hold them.
 * Rules: an allowed call is answered in the hook itself (one round trip to Claude Code instead of two);
 * anything else — a denial (which may interrupt the run), a question, any call in plan mode — answers
 * "ask", and `canUseTool` gives the policy's answer (the same one: `decide` comes from `oncePerCall`).
 * Deny rules of a settings file still override the hook's allow.
 */
export function everyCallToGluon(
  calls: ReturnType<typeof oncePerCall>,
  planMode: boolean,
): HookCallbackMatcher {
  const ask = {
    hookSpecificOutput: {
      hookEventName: 'PreToolUse' as const,
      permissionDecision: 'ask' as const,
      permissionDecisionReason: "Gluon's approval policy decides",
    },
  };
  return {
    timeout: HOOK_TIMEOUT_S,
    hooks: [
      async (input) => {
        if (input.hook_event_name !== 'PreToolUse') return {};
        if (planMode || ANSWERED_IN_CAN_USE_TOOL.has(input.tool_name)) return ask;
        const toolInput = (input.tool_input ?? {}) as Record<string, unknown>;
        const answer = await calls.decide(input.tool_use_id, input.tool_name, toolInput);
        if (answer.behavior !== 'allow') return ask;
        calls.settle(input.tool_use_id);
        return {
          hookSpecificOutput: {
            hookEventName: 'PreToolUse' as const,
            permissionDecision: 'allow' as const,
            permissionDecisionReason: "Gluon's approval policy allowed it",
            ...(answer.updatedInput && answer.updatedInput !== toolInput
              ? { updatedInput: answer.updatedInput }
              : {}),
          },
        };
      },
    ],
  };
}

/**
 * The agent process's environment: the request's, plus the run's marker, with its own HOME when Gluon
 * gives it one (`dataDir` set): there it finds its Claude login and nothing else of the server user's.
 */
export function sessionEnv(
  req: Pick<AgentRunRequest, 'env'>,
  dataDir: string | undefined,
  marker: Record<string, string>,
): Record<string, string> {
  const env = dataDir ? withAgentHome(req.env, prepareAgentHome(dataDir, req.env)) : req.env;
  return { ...env, ...marker };
}

/** The sandbox as the server found it at start, and whether the admin lets `auto` run without one. */
export interface AgentSandbox extends SandboxStatus {
  allowUnsandboxedAuto: boolean;
}

/**
 * The run's sandbox settings, or why it may not start.
 * Rules: no sandbox given or no data directory (an agent outside Gluon's own places) → none; available →
 * Claude Code's sandbox over the run's places; unavailable → none, and an `auto` run is refused unless
 * the admin allowed `auto` without a sandbox (nothing would hold its commands).
 */
export function sandboxFor(
  req: Pick<AgentRunRequest, 'cwd' | 'env' | 'approval' | 'allowedHosts'>,
  dataDir: string | undefined,
  sandbox: AgentSandbox | undefined,
): { settings?: SandboxSettings; refused?: string } {
  if (!sandbox || !dataDir) return {};
  if (!sandbox.available) {
    if (req.approval === 'auto' && !sandbox.allowUnsandboxedAuto)
      return {
        refused: `the agent sandbox cannot start on this machine (${sandbox.reason}), so the auto approval policy is refused here; use careful or strict, or set sandbox.allowUnsandboxedAuto`,
      };
    return {};
  }
  const closedInHome = agentHomeFence(dataDir, req.env)
    .filter((r) => !r.open)
    .map((r) => r.path);
  return {
    settings: sandboxSettings({
      cwd: req.cwd,
      dataDir,
      agentHome: agentHomeOf(dataDir),
      closedInHome,
      userHome: req.env.HOME,
      apiBaseUrl: req.env.ANTHROPIC_BASE_URL,
      allowedHosts: req.allowedHosts,
    }),
  };
}

/**
 * The Claude Code binary the SDK would pick, when that needs no guess: its platform packages
 * (`@anthropic-ai/claude-agent-sdk-linux-x64`, `…-linux-x64-musl`, …) with exactly one installed. The SDK's
 * own search tells glibc from musl with `process.report.getReport()`, whose JavaScript stack, formatted
 * through a source-mapped frame, makes Node decode a whole source map (~10 MB kept for good). Undefined:
 * none or several installed, the SDK decides.
 */
export function soleClaudeBinary(
  platform: NodeJS.Platform = process.platform,
  arch: string = process.arch,
): string | undefined {
  const sdk = '@anthropic-ai/claude-agent-sdk';
  const names =
    platform === 'linux'
      ? [`${sdk}-linux-${arch}`, `${sdk}-linux-${arch}-musl`]
      : [`${sdk}-${platform}-${arch}`];
  const require = createRequire(import.meta.url);
  const found = names.flatMap((name) => {
    try {
      const file = require.resolve(`${name}/claude${platform === 'win32' ? '.exe' : ''}`);
      return existsSync(file) ? [file] : [];
    } catch {
      return [];
    }
  });
  return found.length === 1 ? found[0] : undefined;
}

/** A run that ends before it starts, failing with `message` (not retried: nothing will change). */
export function refusedRun(req: Pick<AgentRunRequest, 'resumeSessionId'>, message: string): AgentRun {
  return {
    done: Promise.resolve({
      ok: false,
      stoppedBy: null,
      sessionId: req.resumeSessionId ?? null,
      finalText: null,
      costUsd: 0,
      sessionTotalUsd: null,
      byModel: [],
      reconciled: false,
      error: { message, retryable: false },
      permissionDenials: 0,
    }),
    stop() {},
  };
}
