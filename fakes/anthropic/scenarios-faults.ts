/** Scenarios of a model that misbehaves: endless tool calls, silence, slow streaming, HTTP errors. */
import { boolParam, intParam } from '../shared/params.js';
import { failScenario, timingScenarios } from '../shared/scenarios.js';
import { apiError, bash, finish, type Reply } from './replies.js';
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
  ...timingScenarios(finish),
  fail: failScenario<Reply>(
    'HTTP error status= (500); times=K fails only K attempts; retry=false sends x-should-retry: false',
    finish,
    (status, message, params) =>
      apiError(status, message, params.retry === undefined ? undefined : boolParam(params, 'retry', true)),
  ),
} satisfies Record<string, Scenario>;
