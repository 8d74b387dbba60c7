/**
 * The coding agents this server can run, by the name a task records. Adding one is its adapter (a file in
 * runner/) and its line below, with its name in `AGENT_NAMES` (shared/api.ts) and its models in config.ts.
 * Agents are built on first use, so a server whose tasks never ask for Codex never touches it.
 */
import path from 'node:path';
import { AGENT_NAMES, PROFILES, type AgentDto, type AgentName } from '../../shared/api.js';
import { modelForProfile, type Config } from './config.js';
import { describeLacks } from './domain/agent-choice.js';
import type { Redactor } from './domain/redact.js';
import type { Agent, AgentRegistry } from './runner/agent.js';
import { createClaudeAgent } from './runner/claude-agent.js';
import type { AgentSandbox } from './runner/claude-options.js';
import { createCodexAgent } from './runner/codex-agent.js';
import { DEFAULT_OPENAI_BASE_URL } from './runner/codex-config.js';

interface Extras {
  redactor?: Redactor;
  sandbox?: AgentSandbox;
}
type Factory = (config: Config, env: NodeJS.ProcessEnv, extras: Extras) => Agent;

const FACTORIES: Record<AgentName, Factory> = {
  claude: (config, _env, { redactor, sandbox }) =>
    createClaudeAgent({
      executable: config.claudeExecutable,
      killAfterMs: config.killAfterMs,
      dataDir: config.home,
      redactor,
      sandbox,
    }),
  codex: (config, env) =>
    createCodexAgent({
      home: path.join(config.home, 'codex'),
      baseUrl: env.OPENAI_BASE_URL || config.codex.baseUrl || DEFAULT_OPENAI_BASE_URL,
      apiKey: env.OPENAI_API_KEY || undefined,
      executable: config.codex.executable,
      sandbox: config.codex.sandbox,
      networkAccess: config.codex.networkAccess,
      requestMaxRetries: config.codex.requestMaxRetries,
      streamMaxRetries: config.codex.streamMaxRetries,
      pricing: config.codex.pricing,
      killAfterMs: config.killAfterMs,
    }),
};

/**
 * The registry of a server. With `only` (a test's or a benchmark's stand-in), every name runs that agent;
 * `redactor` hides the server's secrets in what an agent streams; `sandbox` says whether Claude Code's
 * sandbox starts here.
 */
export function createAgentRegistry(
  config: Config,
  env: NodeJS.ProcessEnv,
  opts: { only?: Agent } & Extras = {},
): AgentRegistry {
  const { only } = opts;
  const built = new Map<AgentName, Agent>();
  return {
    get(name) {
      if (only) return only;
      let agent = built.get(name);
      if (!agent) {
        agent = FACTORIES[name](config, env, opts);
        built.set(name, agent);
      }
      return agent;
    },
  };
}

/** Every agent with what it can do, what it lacks in plain words, and its model per profile. */
export function describeAgents(config: Config, registry: AgentRegistry): AgentDto[] {
  return AGENT_NAMES.map((name) => {
    const { capabilities } = registry.get(name);
    const models = Object.fromEntries(PROFILES.map((p) => [p, modelForProfile(config, p, name)]));
    return { name, capabilities, lacks: describeLacks(capabilities), models: models as AgentDto['models'] };
  });
}
