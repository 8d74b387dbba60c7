/**
 * Chooses the reply for one Messages request (as fakes/shared/script.ts does for both fakes): reads the
 * conversation, runs the scenario's step and applies the usage overrides every scenario accepts
 * (`input_tokens=`, `output_tokens=`, `cache_read=`, `cache_write=`).
 */
import { intParam } from '../shared/params.js';
import { chooseReply, type ScriptedReply as SharedScriptedReply } from '../shared/script.js';
import { readConversation, type ApiMessage, type Conversation } from './conversation.js';
import { apiError, type Reply } from './replies.js';
import { scenarios } from './scenarios.js';

export { DEFAULT_SCENARIO } from '../shared/script.js';

export type ScriptedReply = SharedScriptedReply<Conversation, Reply>;

/** The reply to `messages`; a bad request, scenario or parameter answers 400 `invalid_request_error`. */
export function scriptReply(messages: ApiMessage[], system: unknown, attempt: number): ScriptedReply {
  return chooseReply(
    {
      fake: 'fake-anthropic',
      scenarios,
      badRequest: (message) => apiError(400, message),
      withUsage: (reply, params) => {
        if (reply.kind === 'error') return reply;
        const usage = {
          input: intParam(params, 'input_tokens', reply.usage.input),
          output: intParam(params, 'output_tokens', reply.usage.output),
          cacheRead: intParam(params, 'cache_read', reply.usage.cacheRead),
          cacheWrite: intParam(params, 'cache_write', reply.usage.cacheWrite),
        };
        return { ...reply, usage };
      },
    },
    readConversation(messages, system),
    attempt,
  );
}
