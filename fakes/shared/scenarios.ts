/**
 * Scenario entries and texts both scripted LLM fakes play alike, built from a fake's own reply builders:
 * silence, a slowly streamed answer, a scripted HTTP failure; the question that ends a turn, a prompt's
 * first line, shell quoting.
 */
import type { Params } from './directive.js';
import { ParamError, intParam, optionalIntParam, stringParam } from './params.js';
import type { ReplyTiming, Scenario } from './script.js';

export const ASK_TEXT = 'I can set up the formatter for you. Should I use tabs or spaces?';

/** `silent` and `slow`, answering with the fake's `finish` (a reply that ends the turn with a text). */
export function timingScenarios<R extends ReplyTiming>(finish: (text: string) => R) {
  return {
    silent: {
      summary: 'say nothing for ms= (5000), as a stuck model would, then answer',
      respond: ({ params }) => ({
        ...finish('Sorry, that took a while.'),
        delayMs: intParam(params, 'ms', 5000),
      }),
    },
    slow: {
      summary: 'stream a text answer in several deltas spread over ms= (2000)',
      respond: ({ params }) => ({
        ...finish('Streaming this answer slowly, one piece at a time, so a client can watch it arrive live.'),
        streamMs: intParam(params, 'ms', 2000),
      }),
    },
  } satisfies Record<string, Scenario<unknown, R>>;
}

/**
 * `fail`: an HTTP error with status= (500, one of 400-599) and message=; with times=K only the first K
 * identical requests fail and the next ones recover (`finish`). `error` builds the fake's error reply
 * and reads the parameters only its API has.
 */
export function failScenario<R>(
  summary: string,
  finish: (text: string) => R,
  error: (status: number, message: string, params: Params) => R,
): Scenario<unknown, R> {
  return {
    summary,
    respond: ({ params, attempt }) => {
      const status = intParam(params, 'status', 500);
      if (status < 400 || status > 599) throw new ParamError(`status must be 400-599, got ${status}`);
      const times = optionalIntParam(params, 'times');
      if (times !== undefined && attempt >= times)
        return finish(`Recovered after ${times} failed attempt(s).`);
      return error(status, stringParam(params, 'message', `Scripted failure with status ${status}`), params);
    },
  };
}

/** The first line of a prompt, cut at 200 characters, for a scenario to quote. */
export function firstLine(text: string): string {
  return text.split('\n')[0]?.slice(0, 200) || '(no prompt)';
}

/** Quotes a value for a POSIX shell, so a path or a text from a prompt stays one word in a command. */
export function shellQuote(value: string): string {
  return `'${value.replaceAll("'", `'\\''`)}'`;
}
