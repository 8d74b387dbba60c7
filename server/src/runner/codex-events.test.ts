import { describe, expect, it } from 'vitest';
import { CodexEventMapper, unwrapShell } from './codex-events.js';

const started = (item: Record<string, unknown>) => ({ type: 'item.started', item });
const completed = (item: Record<string, unknown>) => ({ type: 'item.completed', item });

describe('unwrapShell', () => {
  it.each([
    ["/bin/bash -lc 'ls -la'", 'ls -la'],
    ["bash -c 'echo it'\\''s'", "echo it's"],
    [`/bin/bash -lc "printf '%s\\\\n' 'a' > f"`, "printf '%s\\n' 'a' > f"],
    ['/usr/bin/zsh -lc "echo \\"hi\\""', 'echo "hi"'],
    ['git status', 'git status'],
    ["python -c 'print(1)'", "python -c 'print(1)'"],
  ])('%s → %s', (command, script) => {
    expect(unwrapShell(command)).toBe(script);
  });
});

describe('CodexEventMapper', () => {
  it('maps a command once when it starts and its result when it ends', () => {
    const m = new CodexEventMapper();
    const item = { id: 'item_1', type: 'command_execution', command: "/bin/bash -lc 'false'" };
    expect(m.map(started({ ...item, status: 'in_progress' }))).toEqual([
      {
        type: 'tool.called',
        data: { toolUseId: 'item_1', name: 'Bash', input: { command: 'false' }, subagent: null },
      },
    ]);
    expect(
      m.map(completed({ ...item, status: 'failed', exit_code: 1, aggregated_output: 'nope\n' })),
    ).toEqual([{ type: 'tool.result', data: { toolUseId: 'item_1', output: 'nope\n', isError: true } }]);
  });

  it('announces a command that only completes (declined) and counts the denial', () => {
    const m = new CodexEventMapper();
    const events = m.map(
      completed({
        id: 'i',
        type: 'command_execution',
        command: 'rm -rf /',
        status: 'declined',
        aggregated_output: '',
      }),
    );
    expect(events.map((e) => e.type)).toEqual(['tool.called', 'tool.result']);
    expect(events[1]).toMatchObject({ data: { output: 'declined', isError: true } });
    expect(m.declined).toBe(1);
  });

  it('maps text, reasoning, patches, MCP calls, web searches and the to-do list into Gluon tools', () => {
    const m = new CodexEventMapper();
    const all = [
      completed({ id: 'r', type: 'reasoning', text: 'Thinking.' }),
      completed({ id: 'a', type: 'agent_message', text: 'Done. Anything else?' }),
      completed({
        id: 'p',
        type: 'file_change',
        status: 'completed',
        changes: [{ path: '/w/a.txt', kind: 'add' }],
      }),
      started({
        id: 'x',
        type: 'mcp_tool_call',
        server: 'gluon',
        tool: 'list',
        arguments: { all: true },
        status: 'in_progress',
      }),
      completed({
        id: 'x',
        type: 'mcp_tool_call',
        server: 'gluon',
        tool: 'list',
        status: 'completed',
        result: { content: [{ type: 'text', text: '3 tasks' }] },
      }),
      completed({ id: 'w', type: 'web_search', query: 'codex exec' }),
      started({
        id: 't',
        type: 'todo_list',
        items: [
          { text: 'one', completed: true },
          { text: 'two', completed: false },
        ],
      }),
    ].flatMap((e) => m.map(e));
    expect(all.map((e) => `${e.type}:${'name' in e.data ? e.data.name : ''}`)).toEqual([
      'agent.thinking:',
      'agent.text:',
      'tool.called:Edit',
      'tool.result:',
      'tool.called:mcp__gluon__list',
      'tool.result:',
      'tool.called:WebSearch',
      'tool.result:',
      'tool.called:TodoWrite',
      'tool.result:',
    ]);
    expect(all[2]).toMatchObject({
      data: { input: { file_path: '/w/a.txt', changes: [{ path: '/w/a.txt', kind: 'add' }] } },
    });
    expect(all[5]).toMatchObject({ data: { output: '3 tasks', isError: false } });
    expect(all[8]).toMatchObject({
      data: {
        input: {
          todos: [
            { content: 'one', status: 'completed' },
            { content: 'two', status: 'pending' },
          ],
        },
      },
    });
    expect(m.lastText).toBe('Done. Anything else?');
  });

  it('keeps the thread id and the last running total', () => {
    const m = new CodexEventMapper();
    m.map({ type: 'thread.started', thread_id: 'abc-123' });
    m.map({ type: 'turn.completed', usage: { input_tokens: 10, cached_input_tokens: 4, output_tokens: 3 } });
    expect(m.threadId).toBe('abc-123');
    expect(m.usage).toEqual({
      inputTokens: 10,
      cachedInputTokens: 4,
      outputTokens: 3,
      reasoningOutputTokens: 0,
    });
  });

  it('turns a retry into a notice once the run goes on, and a failure into the failure only', () => {
    const retried = new CodexEventMapper();
    expect(retried.map({ type: 'error', message: 'Reconnecting... 1/2 (429)' })).toEqual([]);
    expect(retried.map(completed({ id: 'a', type: 'agent_message', text: 'ok' }))).toEqual([
      { type: 'notice', data: { message: 'codex: Reconnecting... 1/2 (429)' } },
      { type: 'agent.text', data: { messageId: 'a', text: 'ok', subagent: null } },
    ]);
    const failed = new CodexEventMapper();
    failed.map({ type: 'error', message: 'boom' });
    expect(failed.map({ type: 'turn.failed', error: { message: 'boom' } })).toEqual([]);
    expect(failed.failure).toBe('boom');
    const crashed = new CodexEventMapper();
    crashed.map({ type: 'error', message: 'last words' });
    expect(crashed.takePendingError()).toBe('last words');
    expect(crashed.flushErrors()).toEqual([]);
  });

  it('reports non-fatal error items as notices and ignores what it does not know', () => {
    const m = new CodexEventMapper();
    expect(m.map(completed({ id: 'e', type: 'error', message: 'Model metadata not found' }))).toEqual([
      { type: 'notice', data: { message: 'codex: Model metadata not found' } },
    ]);
    expect(m.map({ type: 'turn.started' })).toEqual([]);
    expect(m.map({ type: 'something.new', item: {} })).toEqual([]);
    expect(m.map(completed({ id: 'n', type: 'novel_item' }))).toEqual([]);
    expect(m.map('not an object')).toEqual([]);
  });
});
