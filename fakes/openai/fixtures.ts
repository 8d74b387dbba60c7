/**
 * Builders for Responses API inputs shaped like Codex's, for unit tests of the fake's step logic: the
 * developer instructions, then a user message with the environment context, then the prompt; tool
 * calls and their outputs as separate items.
 */
import type { InputItem } from './conversation.js';

export const FIXTURE_CWD = '/tmp/fixture-wd';

const ENVIRONMENT = `<environment_context>\n  <cwd>${FIXTURE_CWD}</cwd>\n  <shell>bash</shell>\n</environment_context>`;

/** The start of a thread: instructions, environment context, then the prompt. */
export function threadStart(prompt: string): InputItem[] {
  return [
    { type: 'message', role: 'developer', content: [{ type: 'input_text', text: 'You are Codex.' }] },
    { type: 'message', role: 'user', content: [{ type: 'input_text', text: ENVIRONMENT }] },
    { type: 'message', role: 'user', content: [{ type: 'input_text', text: prompt }] },
  ];
}

/** A later human message (a resume). */
export function human(text: string): InputItem {
  return { type: 'message', role: 'user', content: [{ type: 'input_text', text }] };
}

/** An assistant message. */
export function said(text = 'ok'): InputItem {
  return { type: 'message', role: 'assistant', content: [{ type: 'output_text', text }] };
}

/** An exec_command call and its output, the way Codex reports a finished command. */
export function ranCommand(cmd: string, output: string, exitCode = 0): InputItem[] {
  return [
    { type: 'function_call', name: 'exec_command', arguments: JSON.stringify({ cmd }) },
    {
      type: 'function_call_output',
      output: `Chunk ID: 1a2b3c\nWall time: 0.0100 seconds\nProcess exited with code ${exitCode}\nOriginal token count: 2\nOutput:\n${output}`,
    },
  ];
}
