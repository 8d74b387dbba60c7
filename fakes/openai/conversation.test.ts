import { describe, expect, it } from 'vitest';
import { commandOutput, readConversation } from './conversation.js';
import { FIXTURE_CWD, human, ranCommand, said, threadStart } from './fixtures.js';

const read = (input: Parameters<typeof readConversation>[0]) => {
  const result = readConversation(input);
  if (!result.ok) throw new Error(result.error);
  return result.conversation;
};

describe('readConversation', () => {
  it('finds the directive, the prompt and the cwd, ignoring Codex context blocks', () => {
    const c = read(threadStart('[[scenario:shell cmd="ls -la"]] List the files'));
    expect(c.directive?.name).toBe('shell');
    expect(c.directive?.params).toEqual({ cmd: 'ls -la' });
    expect(c.prompt).toBe('List the files');
    expect(c.cwd).toBe(FIXTURE_CWD);
    expect({ step: c.step, turn: c.turn, toolResult: c.toolResult }).toEqual({
      step: 0,
      turn: 0,
      toolResult: null,
    });
  });

  it('counts tool calls since the latest human message as the step and reads the last output', () => {
    const c = read([
      ...threadStart('[[scenario:demo]] go'),
      ...ranCommand('ls', 'a.txt\n'),
      ...ranCommand('false', 'boom\n', 1),
    ]);
    expect(c.step).toBe(2);
    expect(c.toolResult).toMatchObject({ exitCode: 1, isError: true });
    expect(commandOutput(c.toolResult)).toBe('boom');
  });

  it('counts human messages after the anchor as turns and keeps the anchor directive', () => {
    const c = read([
      ...threadStart('[[scenario:ask]] set up formatting'),
      said('Tabs or spaces?'),
      human('Tabs.'),
      ...ranCommand('printf x', ''),
    ]);
    expect(c.directive?.name).toBe('ask');
    expect(c.turn).toBe(1);
    expect(c.step).toBe(1);
    expect(c.humanText).toBe('Tabs.');
    expect(c.toolResult).toMatchObject({ exitCode: 0, isError: false });
  });

  it('does not take an AGENTS.md preamble or an aborted-turn marker for a human', () => {
    const c = read([
      ...threadStart('[[scenario:text]] hi'),
      human('# AGENTS.md instructions for /repo\n\nUse tabs.'),
      human('<turn_aborted>\nThe user interrupted.\n</turn_aborted>'),
    ]);
    expect(c.turn).toBe(0);
    expect(c.humanText).toBe('[[scenario:text]] hi');
  });

  it('rejects an input without a human message and a malformed directive', () => {
    expect(readConversation([said()]).ok).toBe(false);
    const bad = readConversation(threadStart('[[scenario:shell cmd="unterminated]]'));
    expect(bad.ok).toBe(false);
  });
});
