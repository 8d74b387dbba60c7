/**
 * An agent's outcome carries its last words and its error text, both written by the agent: they are
 * redacted before anything stores or shows them, whichever agent ran.
 */
import type { Agent, AgentRegistry } from './agent.js';

/** `agent` whose runs resolve to outcomes with `finalText` and `error.message` redacted. */
export function withRedactedOutcome(agent: Agent, redact: (text: string) => string): Agent {
  return {
    name: agent.name,
    capabilities: agent.capabilities,
    start(req, hooks) {
      const run = agent.start(req, hooks);
      return {
        stop: (cause) => run.stop(cause),
        done: run.done.then((outcome) => ({
          ...outcome,
          finalText: outcome.finalText === null ? null : redact(outcome.finalText),
          error: outcome.error && { ...outcome.error, message: redact(outcome.error.message) },
        })),
      };
    },
  };
}

/** Every agent of `registry`, with its outcomes redacted. */
export function withRedactedRegistry(
  registry: AgentRegistry,
  redact: (text: string) => string,
): AgentRegistry {
  const wrapped = new Map<Agent, Agent>();
  return {
    get(name) {
      const agent = registry.get(name);
      let safe = wrapped.get(agent);
      if (!safe) {
        safe = withRedactedOutcome(agent, redact);
        wrapped.set(agent, safe);
      }
      return safe;
    },
  };
}
