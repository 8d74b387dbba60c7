/**
 * Choosing the reply for one request, the same way in both scripted LLM fakes: the scenario the
 * directive names (`demo` without one), the reply of its step, then the usage overrides every scenario
 * accepts. The types of a scenario table live here too; each fake fills them with its own conversation
 * and reply types.
 */
import type { ConversationBase } from './conversation.js';
import type { Params } from './directive.js';
import { ParamError } from './params.js';

export const DEFAULT_SCENARIO = 'demo';

export interface StepContext<C> {
  conversation: C;
  params: Params;
  /** Identical requests (same session, same position) this server answered before: a retry counter. */
  attempt: number;
}

export interface Scenario<C, R> {
  summary: string;
  respond(ctx: StepContext<C>): R;
}

/** When a scripted answer arrives. */
export interface ReplyTiming {
  /** Wait this long before the response starts (on top of the server's latency). */
  delayMs?: number;
  /** Spread each text over this many ms in several deltas (live-streaming tests). */
  streamMs?: number;
}

export interface ScriptedReply<C, R> {
  reply: R;
  /** Null when the request could not be read at all. */
  scenario: string | null;
  conversation: C | null;
}

/** What a fake brings to `chooseReply`. */
export interface Script<C, R> {
  /** `fake-anthropic`, `fake-openai`: how the message of every 400 starts. */
  fake: string;
  scenarios: Record<string, Scenario<C, R>>;
  /** A 400 `invalid_request_error` saying `message`. */
  badRequest(message: string): R;
  /** The reply with the usage overrides of `params` applied (a reply without usage as it is). */
  withUsage(reply: R, params: Params): R;
}

export type ReadConversation<C> = { ok: true; conversation: C } | { ok: false; error: string };

/**
 * Rules:
 * - unreadable conversation or malformed directive → 400 invalid_request_error;
 * - no directive → the `demo` scenario; unknown scenario name → 400;
 * - a bad parameter value (of the scenario or a usage override) → 400 naming the parameter.
 */
export function chooseReply<C extends ConversationBase, R>(
  script: Script<C, R>,
  read: ReadConversation<C>,
  attempt: number,
): ScriptedReply<C, R> {
  const { fake, scenarios, badRequest } = script;
  if (!read.ok) return { reply: badRequest(`${fake}: ${read.error}`), scenario: null, conversation: null };
  const conversation = read.conversation;
  const name = conversation.directive?.name ?? DEFAULT_SCENARIO;
  const scenario = Object.hasOwn(scenarios, name) ? scenarios[name] : undefined;
  if (!scenario) {
    const known = Object.keys(scenarios).join(', ');
    const reply = badRequest(`${fake}: unknown scenario "${name}" (known: ${known})`);
    return { reply, scenario: name, conversation };
  }
  const params = conversation.directive?.params ?? {};
  try {
    const reply = script.withUsage(scenario.respond({ conversation, params, attempt }), params);
    return { reply, scenario: name, conversation };
  } catch (error) {
    if (!(error instanceof ParamError)) throw error;
    return { reply: badRequest(`${fake}: ${name}: ${error.message}`), scenario: name, conversation };
  }
}
