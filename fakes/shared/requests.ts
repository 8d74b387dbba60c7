/**
 * What the scripted LLM fakes record of every request, and how they count retries: a request repeats an
 * earlier one when it comes from the same session with the same conversation.
 */
import { createHash } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { header, pathOf } from './http.js';

/** The largest request body a fake reads (a long conversation with images); a larger one is a 413. */
export const MAX_BODY_BYTES = 32 * 1024 * 1024;

export interface ScriptedRequest {
  at: number;
  method: string;
  path: string;
  status: number;
  model: string | null;
  scenario: string | null;
  step: number | null;
  turn: number | null;
  stream: boolean;
  /** The agent's session: Claude Code's `x-claude-code-session-id` header, Codex's `session-id` (its thread id). */
  sessionId: string | null;
  /** How many identical requests were answered before this one (the agent retries). */
  attempt: number;
}

/** The record of a request as it arrives: 200 until something else is answered, nothing scripted yet. */
export function newRecord(req: IncomingMessage, sessionHeader: string): ScriptedRequest {
  return {
    at: Date.now(),
    method: req.method ?? '',
    path: pathOf(req),
    status: 200,
    model: null,
    scenario: null,
    step: null,
    turn: null,
    stream: false,
    sessionId: header(req, sessionHeader),
    attempt: 0,
  };
}

/**
 * Runs a fake's script for one request after another: counts the identical requests answered before
 * this one (same session, same conversation) into `record.attempt`, lets `choose` answer for that
 * attempt, and notes in the record which scenario answered, at which step and turn.
 */
export function createScriptRunner() {
  const attempts = new Map<string, number>();
  return <S extends { scenario: string | null; conversation: { step: number; turn: number } | null }>(
    record: ScriptedRequest,
    conversation: unknown,
    choose: (attempt: number) => S,
  ): S => {
    const hash = createHash('sha1').update(JSON.stringify(conversation)).digest('hex');
    const key = `${record.sessionId ?? ''}|${hash}`;
    record.attempt = attempts.get(key) ?? 0;
    attempts.set(key, record.attempt + 1);
    const scripted = choose(record.attempt);
    record.scenario = scripted.scenario;
    record.step = scripted.conversation?.step ?? null;
    record.turn = scripted.conversation?.turn ?? null;
    return scripted;
  };
}
