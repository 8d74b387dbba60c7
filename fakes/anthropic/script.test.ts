import { describe, expect, it } from 'vitest';
import type { ApiMessage } from './conversation.js';
import { FIXTURE_CWD, assistant, firstUser, humanReply, toolResult } from './fixtures.js';
import type { MessageReply, Reply } from './replies.js';
import { ASK_TEXT, QUESTION } from './scenarios.js';
import { scriptReply } from './script.js';

function reply(messages: ApiMessage[], attempt = 0): Reply {
  return scriptReply(messages, undefined, attempt).reply;
}

function message(r: Reply): MessageReply {
  if (r.kind !== 'message') throw new Error(`expected a message, got HTTP ${r.status}: ${r.message}`);
  return r;
}

/** The tool call a reply makes, or its final text, in one comparable shape. */
function action(r: Reply): { tool: string; input: Record<string, unknown> } | { text: string } {
  const m = message(r);
  const last = m.blocks.at(-1);
  if (last?.type === 'tool_use') {
    expect(m.stopReason).toBe('tool_use');
    return { tool: last.name, input: last.input };
  }
  expect(m.stopReason).toBe('end_turn');
  return { text: last?.type === 'text' ? last.text : '' };
}

const at = (path: string) => `${FIXTURE_CWD}/${path}`;

describe('scriptReply step sequences', () => {
  it.each<[string, ApiMessage[], ReturnType<typeof action>]>([
    [
      'write-file step 0',
      [firstUser('[[scenario:write-file path=a.txt content="x y"]]')],
      { tool: 'Write', input: { file_path: at('a.txt'), content: 'x y' } },
    ],
    [
      'write-file done',
      [firstUser('[[scenario:write-file path=a.txt]]'), assistant(), toolResult('File created')],
      { text: 'Wrote a.txt.' },
    ],
    [
      'write-file failed',
      [firstUser('[[scenario:write-file path=/abs/a.txt]]'), assistant(), toolResult('EACCES', true)],
      { text: 'The last step failed: EACCES' },
    ],
    [
      'bash step 0',
      [firstUser('[[scenario:bash cmd="echo hi"]]')],
      { tool: 'Bash', input: { command: 'echo hi', description: 'Run the requested command' } },
    ],
    [
      'bash summary',
      [firstUser('[[scenario:bash cmd="echo hi"]]'), assistant(), toolResult('hi')],
      { text: 'Ran `echo hi`. Output:\nhi' },
    ],
    [
      'call-tool calls the named tool with the JSON input',
      [firstUser('[[scenario:call-tool name=mcp__gluon__list_tasks input="{\\"status\\":\\"review\\"}"]]')],
      { tool: 'mcp__gluon__list_tasks', input: { status: 'review' } },
    ],
    [
      'call-tool reports the result',
      [firstUser('[[scenario:call-tool name=t input={}]]'), assistant(), toolResult('Created task x')],
      { text: 't answered: Created task x' },
    ],
    [
      'call-tool reports a failed call',
      [firstUser('[[scenario:call-tool name=t input={}]]'), assistant(), toolResult('bad id', true)],
      { text: 't failed: bad id' },
    ],
    [
      'echo-prompt',
      [firstUser('[[scenario:echo-prompt path=p.txt]] $(touch canary) `id`; "q" \'s\'\nnext')],
      { tool: 'Write', input: { file_path: at('p.txt'), content: '$(touch canary) `id`; "q" \'s\'\nnext' } },
    ],
    [
      'echo-prompt default path',
      [firstUser('[[scenario:echo-prompt]]\n  two words ')],
      { tool: 'Write', input: { file_path: at('prompt.md'), content: 'two words' } },
    ],
    [
      'question asks',
      [firstUser('[[scenario:question]]')],
      {
        tool: 'AskUserQuestion',
        input: { questions: [expect.objectContaining({ question: QUESTION, multiSelect: false })] },
      },
    ],
    [
      'question writes the answer',
      [
        firstUser('[[scenario:question]]'),
        assistant(),
        toolResult(`Your questions have been answered: "${QUESTION}"="blue". You can now continue.`),
      ],
      { tool: 'Write', input: { file_path: at('answer.txt'), content: 'blue' } },
    ],
    [
      'question denied',
      [firstUser('[[scenario:question]]'), assistant(), toolResult('User denied', true)],
      { text: `I need an answer before I continue: ${QUESTION}` },
    ],
    [
      'question resumed',
      [
        firstUser('[[scenario:question]]'),
        assistant(),
        toolResult('denied', true),
        assistant(),
        humanReply('red'),
      ],
      { tool: 'Write', input: { file_path: at('answer.txt'), content: 'red' } },
    ],
    ['ask asks', [firstUser('[[scenario:ask]]')], { text: ASK_TEXT }],
    [
      'ask resumed',
      [firstUser('[[scenario:ask]]'), assistant(), humanReply('spaces, please')],
      { tool: 'Write', input: { file_path: at('reply.txt'), content: 'spaces, please' } },
    ],
    [
      'ask finished',
      [firstUser('[[scenario:ask]]'), assistant(), humanReply('tabs'), assistant(), toolResult('ok')],
      { text: 'Saved your reply to reply.txt.' },
    ],
    [
      'danger',
      [firstUser('[[scenario:danger]]')],
      { tool: 'Bash', input: { command: 'rm -rf build', description: 'Remove the build directory' } },
    ],
    [
      'demo lists',
      [firstUser('write docs')],
      { tool: 'Bash', input: { command: 'ls -la', description: 'List the files in the workspace' } },
    ],
    [
      'demo writes',
      [firstUser('write docs'), assistant(), toolResult('a')],
      { tool: 'Write', input: { file_path: at('NOTES.md'), content: expect.stringContaining('write docs') } },
    ],
    [
      'demo cats',
      [
        firstUser("[[scenario:demo path=it's.md]] x"),
        assistant(),
        toolResult('a'),
        assistant(),
        toolResult('b'),
      ],
      { tool: 'Bash', input: { command: `cat 'it'\\''s.md'`, description: "Show it's.md" } },
    ],
    [
      'demo ends',
      [
        firstUser('x'),
        assistant(),
        toolResult('a'),
        assistant(),
        toolResult('b'),
        assistant(),
        toolResult('c'),
      ],
      { text: expect.stringContaining('wrote NOTES.md') },
    ],
  ])('%s', (_name, messages, expected) => {
    expect(action(reply(messages))).toEqual(expected);
  });

  it('demo starts with thinking and text before its first tool call', () => {
    const types = message(reply([firstUser('hi')])).blocks.map((b) => b.type);
    expect(types).toEqual(['thinking', 'text', 'tool_use']);
  });

  it('loop-forever never ends and costs 20,000 in + 2,000 out per response', () => {
    const messages = [firstUser('[[scenario:loop-forever delay=5]]')];
    for (let step = 0; step < 5; step += 1) {
      const m = message(reply(messages));
      expect(action(m)).toMatchObject({ tool: 'Bash', input: { command: 'echo tick >> ticks.txt' } });
      expect(m).toMatchObject({ usage: { input: 20_000, output: 2_000 }, delayMs: 5 });
      messages.push(assistant(), toolResult(''));
    }
  });

  it('slow spreads its text over ms', () => {
    expect(message(reply([firstUser('[[scenario:slow ms=300]]')])).streamMs).toBe(300);
  });

  it('status-block reports the exit signal, after an optional write', () => {
    const done = action(reply([firstUser('[[scenario:status-block exit=true tests=PASSING]]')]));
    expect(done).toEqual({ text: expect.stringContaining('EXIT_SIGNAL: true') });
    expect(JSON.stringify(done)).toContain('STATUS: COMPLETE');
    expect(JSON.stringify(done)).toContain('TESTS_STATUS: PASSING');
    const first = [firstUser('[[scenario:status-block write=progress.md]] build it')];
    expect(action(reply(first))).toMatchObject({ tool: 'Write', input: { file_path: at('progress.md') } });
    const after = action(reply([...first, assistant(), toolResult('ok')]));
    expect(JSON.stringify(after)).toMatch(/STATUS: IN_PROGRESS.*FILES_MODIFIED: 1.*EXIT_SIGNAL: false/);
  });
});

describe('scriptReply errors and usage', () => {
  it('answers fail with the scripted status until `times` attempts have failed', () => {
    const messages = [firstUser('[[scenario:fail status=529 times=2 retry=false]]')];
    expect(reply(messages, 0)).toEqual({
      kind: 'error',
      status: 529,
      message: expect.any(String),
      shouldRetry: false,
    });
    expect(reply(messages, 1)).toMatchObject({ kind: 'error', status: 529 });
    expect(action(reply(messages, 2))).toEqual({ text: 'Recovered after 2 failed attempt(s).' });
    expect(reply([firstUser('[[scenario:fail status=400]]')], 99)).toMatchObject({
      kind: 'error',
      status: 400,
    });
  });

  it.each([
    ['[[scenario:nope]]', 'unknown scenario "nope"'],
    ['[[scenario:bash]]', 'needs cmd='],
    ['[[scenario:fail status=200]]', 'status must be 400-599'],
    ['[[scenario:slow ms=fast]]', 'ms must be a non-negative integer'],
    ['[[scenario:status-block exit=maybe]]', 'exit must be true or false'],
    ['[[scenario:demo input_tokens=-1]]', 'input_tokens must be'],
    ['[[scenario:demo path="x]]', 'unterminated'],
    ['[[scenario:call-tool input={}]]', 'needs name='],
    ['[[scenario:call-tool name=t input=nope]]', 'input must be JSON'],
    ['[[scenario:call-tool name=t input="[1]"]]', 'input must be a JSON object'],
  ])('answers %s with a 400', (prompt, error) => {
    const r = reply([firstUser(prompt)]);
    expect(r).toMatchObject({ kind: 'error', status: 400, message: expect.stringContaining(error) });
  });

  it('uses 100 in / 50 out by default and applies usage overrides to any scenario', () => {
    expect(message(reply([firstUser('hi')])).usage).toEqual({
      input: 100,
      output: 50,
      cacheRead: 0,
      cacheWrite: 0,
    });
    const prompt = '[[scenario:loop-forever input_tokens=7 output_tokens=8 cache_read=9 cache_write=10]]';
    expect(message(reply([firstUser(prompt)])).usage).toEqual({
      input: 7,
      output: 8,
      cacheRead: 9,
      cacheWrite: 10,
    });
  });

  it('reports the scenario and position it chose', () => {
    const chosen = scriptReply([firstUser('[[scenario:ask]]'), assistant(), humanReply('x')], undefined, 0);
    expect(chosen).toMatchObject({ scenario: 'ask', conversation: { turn: 1, step: 0 } });
  });
});
