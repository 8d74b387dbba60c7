import { describe, expect, it } from 'vitest';
import { UnreportedCommands } from './codex-commands.js';

const line = (type: string, payload: Record<string, unknown>) => JSON.stringify({ type, payload });
const call = (id: string, cmd: string) =>
  line('response_item', {
    type: 'function_call',
    name: 'exec_command',
    arguments: JSON.stringify({ cmd }),
    call_id: id,
  });
const output = (id: string, code: number, text: string) =>
  line('response_item', {
    type: 'function_call_output',
    call_id: id,
    output: `Chunk ID: 1\nWall time: 0.1 seconds\nProcess exited with code ${code}\nOriginal token count: 3\nOutput:\n${text}`,
  });
const reported = (id: string) =>
  line('event_msg', { type: 'item_completed', item: { type: 'CommandExecution', id } });

describe('UnreportedCommands', () => {
  it('finds a command whose output came without a command record, and only that one', () => {
    const u = new UnreportedCommands();
    for (const l of [
      call('a', 'ls'),
      reported('a'),
      output('a', 0, 'x\n'),
      call('b', 'echo x > /etc/y'),
      output('b', 1, 'Read-only file system\n'),
      line('response_item', { type: 'function_call', name: 'view_image', arguments: '{}', call_id: 'c' }),
      line('response_item', { type: 'function_call_output', call_id: 'c', output: 'img' }),
      '{"type":"event_msg","payload":{"type":"token_count"}}',
      'not json function_call',
    ])
      u.take(l);
    expect(u.drain()).toEqual([
      { callId: 'b', command: 'echo x > /etc/y', output: 'Read-only file system\n', exitCode: 1 },
    ]);
    expect(u.drain()).toEqual([]);
  });
});
