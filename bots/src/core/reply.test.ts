import { describe, expect, it } from 'vitest';
import { decodeAction, encodeAction, taskIdIn, type ButtonAction } from './reply.js';

describe('button actions', () => {
  const actions: ButtonAction[] = [
    { kind: 'approve', taskId: 'abcd1234efgh', requestId: 'req000000001' },
    { kind: 'deny', taskId: 'abcd1234efgh', requestId: 'req000000001' },
    { kind: 'answer', taskId: 'abcd1234efgh', requestId: 'req000000001', option: 12 },
    { kind: 'reply', taskId: 'abcd1234efgh', requestId: 'req000000001' },
    { kind: 'logs', taskId: 'abcd1234efgh' },
  ];

  it.each(actions)('%j round-trips within 64 bytes', (action) => {
    const data = encodeAction(action);
    expect(Buffer.byteLength(data)).toBeLessThanOrEqual(64);
    expect(decodeAction(data)).toEqual(action);
  });

  it.each([
    '',
    'ok:abc',
    'ok:ABCD1234:req1',
    'q:abcd1234:req00001:x',
    'rm:abcd1234',
    'ok:abcd1234:req1:extra',
    'l:../etc',
  ])('refuses %j', (data) => expect(decodeAction(data)).toBeNull());

  it('finds the task a message is about by its tag', () => {
    expect(taskIdIn('❓ Needs your input — #abcd1234efgh Fix it')).toBe('abcd1234efgh');
    expect(taskIdIn('#abcd1234efgh at the start')).toBe('abcd1234efgh');
    expect(taskIdIn('no tag, just a#abcd1234efgh inside a word')).toBeNull();
    expect(taskIdIn(undefined)).toBeNull();
  });
});
