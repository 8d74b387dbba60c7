/**
 * Chooses the reply for one Responses request: reads the conversation, finds the scenario, runs its step
 * and applies the usage overrides every scenario accepts (`input_tokens=`, `cached_tokens=`,
 * `output_tokens=`, `reasoning_tokens=`).
 */
import { ParamError, intParam } from '../anthropic/params.js';
import { readConversation, type Conversation, type InputItem } from './conversation.js';
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
 * - a bad parameter value → 400 naming the parameter;
 * - cached tokens never exceed input tokens, reasoning tokens never exceed output tokens.
 */
export function scriptReply(input: InputItem[], attempt: number): ScriptedReply {
  const read = readConversation(input);
  if (!read.ok)
    return { reply: apiError(400, `fake-openai: ${read.error}`), scenario: null, conversation: null };
  const conversation = read.conversation;
  const name = conversation.directive?.name ?? DEFAULT_SCENARIO;
  const scenario = Object.hasOwn(scenarios, name) ? scenarios[name] : undefined;
  if (!scenario) {
    const known = Object.keys(scenarios).join(', ');
    const reply = apiError(400, `fake-openai: unknown scenario "${name}" (known: ${known})`);
    return { reply, scenario: name, conversation };
  }
  const params = conversation.directive?.params ?? {};
  try {
    const reply = scenario.respond({ conversation, params, attempt });
    if (reply.kind !== 'response') return { reply, scenario: name, conversation };
    const input = intParam(params, 'input_tokens', reply.usage.input);
    const output = intParam(params, 'output_tokens', reply.usage.output);
    const usage = {
      input,
      output,
      cached: Math.min(input, intParam(params, 'cached_tokens', reply.usage.cached)),
      reasoning: Math.min(output, intParam(params, 'reasoning_tokens', reply.usage.reasoning)),
    };
    return { reply: { ...reply, usage }, scenario: name, conversation };
  } catch (error) {
    if (!(error instanceof ParamError)) throw error;
    return { reply: apiError(400, `fake-openai: ${name}: ${error.message}`), scenario: name, conversation };
  }
}
