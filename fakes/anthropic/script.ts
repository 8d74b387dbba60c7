/**
 * Chooses the reply for one Messages request: reads the conversation, finds the scenario, runs its
 * step and applies the usage overrides every scenario accepts (`input_tokens=`, `output_tokens=`,
 * `cache_read=`, `cache_write=`).
 */
import { readConversation, type ApiMessage, type Conversation } from './conversation.js';
import { ParamError, intParam } from './params.js';
import { apiError, type Reply } from './replies.js';
import { scenarios } from './scenarios.js';

export const DEFAULT_SCENARIO = 'demo';

export interface ScriptedReply {
  reply: Reply;
  /** Null when the request could not be read at all. */
  scenario: string | null;
  conversation: Conversation | null;
}

/**
 * Rules:
 * - unreadable conversation or malformed directive → 400 invalid_request_error;
 * - no directive → the `demo` scenario; unknown scenario name → 400;
 * - a bad parameter value → 400 naming the parameter.
 */
export function scriptReply(messages: ApiMessage[], system: unknown, attempt: number): ScriptedReply {
  const read = readConversation(messages, system);
  if (!read.ok)
    return { reply: apiError(400, `fake-anthropic: ${read.error}`), scenario: null, conversation: null };
  const conversation = read.conversation;
  const name = conversation.directive?.name ?? DEFAULT_SCENARIO;
  const scenario = Object.hasOwn(scenarios, name) ? scenarios[name] : undefined;
  if (!scenario) {
    const known = Object.keys(scenarios).join(', ');
    return {
      reply: apiError(400, `fake-anthropic: unknown scenario "${name}" (known: ${known})`),
      scenario: name,
      conversation,
    };
  }
  const params = conversation.directive?.params ?? {};
  try {
    const reply = scenario.respond({ conversation, params, attempt });
    if (reply.kind === 'error') return { reply, scenario: name, conversation };
    const usage = {
      input: intParam(params, 'input_tokens', reply.usage.input),
      output: intParam(params, 'output_tokens', reply.usage.output),
      cacheRead: intParam(params, 'cache_read', reply.usage.cacheRead),
      cacheWrite: intParam(params, 'cache_write', reply.usage.cacheWrite),
    };
    return { reply: { ...reply, usage }, scenario: name, conversation };
  } catch (error) {
    if (!(error instanceof ParamError)) throw error;
    return {
      reply: apiError(400, `fake-anthropic: ${name}: ${error.message}`),
      scenario: name,
      conversation,
    };
  }
}
