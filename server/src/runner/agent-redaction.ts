/**
 * Any agent, with the text of its outcome redacted: its final text (a summary, a question, a plan that is
 * stored and shown) and its error message (stored on the run and the task, sent to every surface). The
 * events it emits go through the event log, which redacts them on their own.
 */
import type { Agent } from './agent.js';

/** `agent` whose runs resolve to outcomes with `finalText` and `error.message` redacted. */
export function withRedactedOutcome(agent: Agent, redact: (text: string) => string): Agent {
  return {
    name: agent.name,
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
