import { describe, expect, it } from 'vitest';
import type { Health } from '../../../shared/api.js';
import {
  assessHealth,
  findRepeatedCall,
  shouldNotifyHealth,
  toolCallKey,
  type HealthInput,
  type ToolCallFact,
} from './health.js';

const NOW = 1_800_000_000_000;
const MIN = 60_000;
const ls: ToolCallFact = { name: 'Bash', input: { command: 'ls', description: 'List' } };
const lsReordered: ToolCallFact = { name: 'Bash', input: { description: 'List', command: 'ls' } };
const cat: ToolCallFact = { name: 'Bash', input: { command: 'cat a' } };
const read: ToolCallFact = { name: 'Read', input: { file_path: '/w/a.ts' } };
const base: HealthInput = { lastEventAt: NOW, now: NOW, processAlive: true, recentToolCalls: [] };

describe('assessHealth', () => {
  const rows: [name: string, input: Partial<HealthInput>, health: Health, reason: string | null][] = [
    ['events just arrived', {}, 'green', null],
    ['quiet for 1:59', { lastEventAt: NOW - 2 * MIN + 1000 }, 'green', null],
    ['quiet for exactly 2 min', { lastEventAt: NOW - 2 * MIN }, 'yellow', 'no events for 2 min'],
    ['quiet for 9:59', { lastEventAt: NOW - 10 * MIN + 1000 }, 'yellow', 'no events for 9 min'],
    ['quiet for exactly 10 min', { lastEventAt: NOW - 10 * MIN }, 'red', 'no events for 10 min'],
    ['a clock that went backwards', { lastEventAt: NOW + 5 * MIN }, 'green', null],
    ['a dead process, even with fresh events', { processAlive: false }, 'red', 'the agent process is gone'],
    [
      'a dead process while waiting for input',
      { processAlive: false, waitingForInput: true },
      'red',
      'the agent process is gone',
    ],
    [
      'the same call 3 times',
      { recentToolCalls: [ls, ls, ls] },
      'red',
      'looping: Bash `ls` 3 times in a row',
    ],
    [
      'the same call 3 times, keys reordered',
      { recentToolCalls: [ls, lsReordered, ls] },
      'red',
      'looping: Bash `ls` 3 times in a row',
    ],
    ['the same call twice', { recentToolCalls: [cat, ls, ls] }, 'green', null],
    ['a repeat broken by another call', { recentToolCalls: [ls, ls, cat, ls] }, 'green', null],
    ['an old repeat followed by other calls', { recentToolCalls: [ls, ls, ls, cat] }, 'green', null],
    [
      'the same tool, different input',
      { recentToolCalls: [read, { name: 'Read', input: { file_path: '/w/b.ts' } }, read] },
      'green',
      null,
    ],
    [
      'a repeated Read',
      { recentToolCalls: [read, read, read] },
      'red',
      'looping: Read `/w/a.ts` 3 times in a row',
    ],
    [
      'a repeat without input detail',
      {
        recentToolCalls: [
          { name: 'TodoWrite', input: { todos: [] } },
          { name: 'TodoWrite', input: { todos: [] } },
          { name: 'TodoWrite', input: { todos: [] } },
        ],
      },
      'red',
      'looping: the same TodoWrite call 3 times in a row',
    ],
    [
      'silent while waiting for a human',
      { lastEventAt: NOW - 60 * MIN, waitingForInput: true },
      'green',
      null,
    ],
    [
      'looping beats silence',
      { lastEventAt: NOW - 3 * MIN, recentToolCalls: [ls, ls, ls] },
      'red',
      'looping: Bash `ls` 3 times in a row',
    ],
    // Thresholds are parameters (tests shorten them).
    [
      'a short yellow threshold',
      { lastEventAt: NOW - 1500, thresholds: { yellowAfterMs: 1000, redAfterMs: 3000 } },
      'yellow',
      'no events for 1 s',
    ],
    [
      'a short red threshold',
      { lastEventAt: NOW - 3000, thresholds: { yellowAfterMs: 1000, redAfterMs: 3000 } },
      'red',
      'no events for 3 s',
    ],
    ['a repeat limit of 4', { recentToolCalls: [ls, ls, ls], thresholds: { repeatLimit: 4 } }, 'green', null],
    [
      'a repeat limit of 2',
      { recentToolCalls: [cat, ls, ls], thresholds: { repeatLimit: 2 } },
      'red',
      'looping: Bash `ls` 2 times in a row',
    ],
  ];
  it.each(rows)('%s', (_name, input, health, reason) =>
    expect(assessHealth({ ...base, ...input })).toEqual({ health, reason }),
  );
});

describe('findRepeatedCall', () => {
  it('never matches with a limit below 2 or too few calls', () => {
    expect(findRepeatedCall([ls], 1)).toBeNull();
    expect(findRepeatedCall([ls, ls], 3)).toBeNull();
    expect(findRepeatedCall([], 3)).toBeNull();
  });
});

describe('toolCallKey', () => {
  const rows: [name: string, a: ToolCallFact, b: ToolCallFact, same: boolean][] = [
    ['key order', ls, lsReordered, true],
    [
      'nested key order',
      { name: 'X', input: { a: { x: 1, y: [1, { p: 1, q: 2 }] } } },
      { name: 'X', input: { a: { y: [1, { q: 2, p: 1 }], x: 1 } } },
      true,
    ],
    [
      'undefined fields are absent',
      { name: 'X', input: { a: 1, b: undefined } },
      { name: 'X', input: { a: 1 } },
      true,
    ],
    ['array order matters', { name: 'X', input: [1, 2] }, { name: 'X', input: [2, 1] }, false],
    ['different tools, same input', { name: 'A', input: {} }, { name: 'B', input: {} }, false],
    ['a string is not a number', { name: 'X', input: { n: 1 } }, { name: 'X', input: { n: '1' } }, false],
  ];
  it.each(rows)('%s', (_name, a, b, same) => expect(toolCallKey(a) === toolCallKey(b)).toBe(same));
});

describe('shouldNotifyHealth', () => {
  const rows: [Health | null, Health, boolean][] = [
    [null, 'red', true],
    ['green', 'red', true],
    ['yellow', 'red', true],
    ['red', 'red', false],
    ['red', 'green', false],
    ['green', 'yellow', false],
    [null, 'green', false],
  ];
  it.each(rows)('%s → %s: %s', (prev, next, notify) => expect(shouldNotifyHealth(prev, next)).toBe(notify));
});
