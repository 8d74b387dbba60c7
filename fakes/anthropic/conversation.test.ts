import { describe, expect, it } from 'vitest';
import { readConversation, toolResultText, type ApiMessage } from './conversation.js';
import { FIXTURE_CWD, assistant, firstUser, humanReply, toolResult } from './fixtures.js';

function read(messages: ApiMessage[], system?: unknown) {
  const result = readConversation(messages, system);
  if (!result.ok) throw new Error(result.error);
  return result.conversation;
}

describe('readConversation', () => {
  it('reads the first request of a run', () => {
    const c = read([firstUser('[[scenario:bash cmd="ls -a"]] list it')]);
    expect(c).toMatchObject({ prompt: 'list it', turn: 0, step: 0, toolResult: null, cwd: FIXTURE_CWD });
    expect(c.directive).toMatchObject({ name: 'bash', params: { cmd: 'ls -a' } });
    expect(c.humanText).toBe('[[scenario:bash cmd="ls -a"]] list it');
  });

  it('counts assistant messages since the human message as the step and strips reminders from tool results', () => {
    const c = read([
      firstUser('go'),
      assistant(),
      toolResult('out.txt'),
      assistant(),
      toolResult('boom', true),
    ]);
    expect(c).toMatchObject({ step: 2, turn: 0, prompt: 'go', toolResult: { text: 'boom', isError: true } });
  });

  it('treats a later human message as a resume of the directive-bearing prompt', () => {
    const c = read([
      firstUser('[[scenario:ask]] set up'),
      assistant('Tabs or spaces?'),
      humanReply('  spaces '),
    ]);
    expect(c).toMatchObject({ prompt: 'set up', humanText: 'spaces', turn: 1, step: 0 });
    expect(c.directive?.name).toBe('ask');
  });

  it('lets a newer directive win over an older one', () => {
    const c = read([firstUser('[[scenario:ask]] a'), assistant(), humanReply('[[scenario:danger]] b')]);
    expect(c).toMatchObject({ prompt: 'b', turn: 0, step: 0 });
    expect(c.directive?.name).toBe('danger');
  });

  it('anchors on the first human message when there is no directive', () => {
    const c = read([
      firstUser('write notes'),
      assistant(),
      humanReply('more'),
      assistant(),
      humanReply('again'),
    ]);
    expect(c).toMatchObject({ directive: null, prompt: 'write notes', turn: 2, step: 0 });
  });

  it('counts a tool result merged with human text as a human message', () => {
    const merged: ApiMessage = {
      role: 'user',
      content: [
        { type: 'tool_result', content: 'denied', is_error: true },
        { type: 'text', text: '[Request interrupted by user for tool use]' },
        { type: 'text', text: 'blue' },
      ],
    };
    const c = read([firstUser('[[scenario:question]]'), assistant(), merged]);
    expect(c).toMatchObject({
      turn: 1,
      step: 0,
      humanText: 'blue',
      toolResult: { text: 'denied', isError: true },
    });
  });

  it('reads the cwd from the newest statement: a session continued elsewhere says where it runs now', () => {
    const moved = {
      role: 'user',
      content: [
        {
          type: 'text',
          text: '<system-reminder>\n - Primary working directory: /srv/new (was /srv/old)\n</system-reminder>',
        },
        { type: 'text', text: 'again' },
      ],
    } as ApiMessage;
    const c = read([firstUser('[[scenario:ask]] set up'), assistant('Tabs or spaces?'), moved]);
    expect(c).toMatchObject({ cwd: '/srv/new', turn: 1 });
    expect(read([firstUser('[[scenario:ask]] set up'), assistant('x'), humanReply('y')]).cwd).toBe(
      FIXTURE_CWD,
    );
  });

  it('accepts plain string content and reads the cwd from the system prompt', () => {
    const system = [{ type: 'text', text: 'Primary working directory: /srv/x\nmore' }];
    const c = read([{ role: 'user', content: 'hello' }], system);
    expect(c).toMatchObject({ prompt: 'hello', cwd: '/srv/x' });
  });

  it('fails without a human message or with a malformed directive', () => {
    expect(readConversation([assistant()]).ok).toBe(false);
    expect(readConversation([toolResult('x')]).ok).toBe(false);
    expect(readConversation([firstUser('[[scenario:x a="open]]')]).ok).toBe(false);
  });
});

describe('toolResultText', () => {
  it('joins text parts of array content and drops reminders', () => {
    const content = [
      { type: 'text', text: 'line 1' },
      { type: 'image', source: {} },
      { type: 'text', text: 'line 2<system-reminder>x</system-reminder>' },
    ];
    expect(toolResultText(content)).toBe('line 1\n\nline 2');
  });

  it('returns empty text for missing content', () => {
    expect(toolResultText(undefined)).toBe('');
  });
});
