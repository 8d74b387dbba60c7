/** Scenarios of a model that misbehaves: endless tool calls, silence, slow streaming, HTTP errors. */
import { ParamError, boolParam, intParam, optionalIntParam, stringParam } from './params.js';
import { apiError, bash, finish } from './replies.js';
import type { Scenario } from './scenarios.js';

export const faultScenarios = {
  'loop-forever': {
    summary:
      'Bash `echo tick >> ticks.txt` forever, 20,000 in + 2,000 out tokens per response, delay= ms (100)',
    respond: ({ params }) => ({
      ...bash('echo tick >> ticks.txt', 'Record a tick'),
      usage: { input: 20_000, output: 2_000, cacheRead: 0, cacheWrite: 0 },
      delayMs: intParam(params, 'delay', 100),
    }),
  },
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
  fail: {
    summary:
      'HTTP error status= (500); times=K fails only K attempts; retry=false sends x-should-retry: false',
    respond: ({ params, attempt }) => {
      const status = intParam(params, 'status', 500);
      if (status < 400 || status > 599) throw new ParamError(`status must be 400-599, got ${status}`);
      const times = optionalIntParam(params, 'times');
      if (times !== undefined && attempt >= times)
        return finish(`Recovered after ${times} failed attempt(s).`);
      const message = stringParam(params, 'message', `Scripted failure with status ${status}`);
      return apiError(
        status,
        message,
        params.retry === undefined ? undefined : boolParam(params, 'retry', true),
      );
    },
  },
} satisfies Record<string, Scenario>;
