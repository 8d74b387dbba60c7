/**
 * Chooses the reply for one Responses request (as fakes/shared/script.ts does for both fakes): reads the
 * conversation, runs the scenario's step and applies the usage overrides every scenario accepts
 * (`input_tokens=`, `cached_tokens=`, `output_tokens=`, `reasoning_tokens=`).
 */
import { intParam } from '../shared/params.js';
import { chooseReply, type ScriptedReply as SharedScriptedReply } from '../shared/script.js';
import { readConversation, type Conversation, type InputItem } from './conversation.js';
import { apiError, type Reply } from './replies.js';
import { scenarios } from './scenarios.js';

export { DEFAULT_SCENARIO } from '../shared/script.js';

export type ScriptedReply = SharedScriptedReply<Conversation, Reply>;

/**
 * The reply to `input`; a bad request, scenario or parameter answers 400 `invalid_request_error`.
 * Cached tokens never exceed input tokens, reasoning tokens never exceed output tokens.
 */
export function scriptReply(input: InputItem[], attempt: number): ScriptedReply {
  return chooseReply(
    {
      fake: 'fake-openai',
      scenarios,
      badRequest: (message) => apiError(400, message),
      withUsage: (reply, params) => {
        if (reply.kind !== 'response') return reply;
        const inputTokens = intParam(params, 'input_tokens', reply.usage.input);
        const output = intParam(params, 'output_tokens', reply.usage.output);
        const usage = {
          input: inputTokens,
          output,
          cached: Math.min(inputTokens, intParam(params, 'cached_tokens', reply.usage.cached)),
          reasoning: Math.min(output, intParam(params, 'reasoning_tokens', reply.usage.reasoning)),
        };
        return { ...reply, usage };
      },
    },
    readConversation(input),
    attempt,
  );
}
