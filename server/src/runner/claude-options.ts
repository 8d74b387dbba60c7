/**
 * The parts of a Claude Code session that keep the agent inside what Gluon decides: which settings files
 * it loads, where its HOME is, and a hook that sends every tool call to Gluon's approval policy.
 */
import type { HookCallbackMatcher, SettingSource } from '@anthropic-ai/claude-agent-sdk';
import type { AgentRunRequest } from './agent.js';
import { prepareAgentHome, withAgentHome } from './agent-home.js';

/**
 * Which settings files the agent loads.
 * Rules: the user's (in the agent's own home) always; the repository's `.claude/settings.json` and
 * `settings.local.json` only when the project opted in, since they can run hooks (shell commands) on the
 * host and pre-approve tools before the approval policy sees them.
 */
export function settingSourcesFor(req: Pick<AgentRunRequest, 'projectSettings'>): SettingSource[] {
  return req.projectSettings ? ['user', 'project', 'local'] : ['user'];
}

/**
 * A PreToolUse hook answering "ask" for every tool call, so each one reaches `canUseTool`, where Gluon's
 * policy decides: without it Claude Code lets commands it deems read-only (`echo`, `cat` inside the
 * working directory) and whatever a settings file allows run unasked, and `strict` would not hold them.
 */
export const EVERY_CALL_TO_GLUON: HookCallbackMatcher = {
  hooks: [
    async (input) =>
      input.hook_event_name === 'PreToolUse'
        ? {
            hookSpecificOutput: {
              hookEventName: 'PreToolUse',
              permissionDecision: 'ask',
              permissionDecisionReason: "Gluon's approval policy decides",
            },
          }
        : {},
  ],
};

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
