import { describe, expect, it } from 'vitest';
import {
  checklistFromTodos,
  decideCompletion,
  fence,
  namesRemainingWork,
  shouldRunVerify,
  trimOutput,
  type CompletionInput,
  type CompletionReason,
} from './completion.js';

/** A reply ending in a status block with the given fields. */
const reply = (fields: Record<string, string>) =>
  [
    'Summary of this session.',
    '---GLUON_STATUS---',
    ...Object.entries(fields).map(([k, v]) => `${k}: ${v}`),
    '---END_GLUON_STATUS---',
  ].join('\n');
const at3 = (text: string) => ({ iteration: 3, text });
const claim = (extra: Record<string, string> = {}) =>
  reply({ STATUS: 'COMPLETE', EXIT_SIGNAL: 'true', TESTS_STATUS: 'NOT_RUN', ...extra });
const PASS = { exitCode: 0, output: 'ok' };
const FAIL = { exitCode: 1, output: 'FAIL src/a.test.ts\n  expected 2, got 3' };

describe('decideCompletion', () => {
  const rows: [
    name: string,
    input: Omit<CompletionInput, 'iteration'>,
    done: boolean,
    reason: CompletionReason,
  ][] = [
    ['no output at all', { output: null }, false, 'no_status_block'],
    ['text without a block', { output: at3('I did things.') }, false, 'no_status_block'],
    [
      'a stale block from iteration 2',
      { output: { iteration: 2, text: claim({ TESTS_STATUS: 'PASSING' }) } },
      false,
      'stale_signal',
    ],
    [
      'no exit signal',
      { output: at3(reply({ STATUS: 'IN_PROGRESS', EXIT_SIGNAL: 'false' })) },
      false,
      'not_claimed',
    ],
    [
      'exit signal garbled',
      { output: at3(reply({ STATUS: 'COMPLETE', EXIT_SIGNAL: 'maybe' })) },
      false,
      'not_claimed',
    ],
    [
      'exit while IN_PROGRESS',
      { output: at3(claim({ STATUS: 'IN_PROGRESS', TESTS_STATUS: 'PASSING' })) },
      false,
      'contradicted',
    ],
    ['exit while BLOCKED', { output: at3(claim({ STATUS: 'BLOCKED' })) }, false, 'contradicted'],
    // Corroboration without a verify command.
    ['exit alone', { output: at3(claim()) }, false, 'uncorroborated'],
    ['exit with tests passing', { output: at3(claim({ TESTS_STATUS: 'PASSING' })) }, true, 'completed'],
    [
      'exit with tests failing, even with nothing left',
      { output: at3(claim({ TESTS_STATUS: 'FAILING', RECOMMENDATION: 'Nothing left to do.' })) },
      false,
      'uncorroborated',
    ],
    [
      'exit with nothing left named',
      { output: at3(claim({ RECOMMENDATION: 'Nothing left to do.' })) },
      true,
      'completed',
    ],
    [
      'exit but the recommendation names work',
      { output: at3(claim({ RECOMMENDATION: 'Continue with the docs.' })) },
      false,
      'uncorroborated',
    ],
    [
      'exit with a complete checklist',
      { output: at3(claim({ RECOMMENDATION: 'Still need docs.' })), checklist: { done: 4, total: 4 } },
      true,
      'completed',
    ],
    [
      'exit with an incomplete checklist',
      { output: at3(claim()), checklist: { done: 3, total: 4 } },
      false,
      'uncorroborated',
    ],
    [
      'an empty checklist corroborates nothing',
      { output: at3(claim()), checklist: { done: 0, total: 0 } },
      false,
      'uncorroborated',
    ],
    [
      'no STATUS line but a corroborated exit',
      { output: at3(reply({ EXIT_SIGNAL: 'true', TESTS_STATUS: 'PASSING' })) },
      true,
      'completed',
    ],
    // With a verify command, only its exit 0 makes a claim stand.
    [
      'verify passes',
      { output: at3(claim()), verify: { command: 'npm test', result: PASS } },
      true,
      'completed',
    ],
    [
      'verify fails despite tests passing',
      { output: at3(claim({ TESTS_STATUS: 'PASSING' })), verify: { command: 'npm test', result: FAIL } },
      false,
      'verify_failed',
    ],
    [
      'verify killed',
      { output: at3(claim()), verify: { command: 'npm test', result: { exitCode: null, output: '' } } },
      false,
      'verify_failed',
    ],
    [
      'verify timed out with exit 0',
      { output: at3(claim()), verify: { command: 'npm test', result: { ...PASS, timedOut: true } } },
      false,
      'verify_failed',
    ],
    [
      'verify configured but not run',
      { output: at3(claim()), verify: { command: 'npm test', result: null } },
      false,
      'verify_not_run',
    ],
    [
      'verify passing does not make a non-claim done',
      { output: at3(reply({ EXIT_SIGNAL: 'false' })), verify: { command: 'npm test', result: PASS } },
      false,
      'not_claimed',
    ],
  ];
  it.each(rows)('%s', (_name, input, done, reason) => {
    const decision = decideCompletion({ iteration: 3, ...input });
    expect(decision).toMatchObject({ done, reason });
    expect(decision.detail.length).toBeGreaterThan(0);
  });

  it('feeds the failing verify output back, fenced', () => {
    const d = decideCompletion({
      iteration: 3,
      output: at3(claim()),
      verify: { command: 'npm test', result: FAIL },
    });
    expect(d.detail).toBe('verify exited 1: npm test');
    expect(d.feedback).toContain('`npm test` exited 1');
    expect(d.feedback).toContain('```\nFAIL src/a.test.ts\n  expected 2, got 3\n```');
  });

  it('reminds the agent of the protocol when the block is missing', () => {
    expect(decideCompletion({ iteration: 1, output: { iteration: 1, text: 'done' } }).feedback).toMatch(
      /status block/,
    );
  });

  it('returns the block it judged, and none for stale text', () => {
    expect(decideCompletion({ iteration: 3, output: at3(claim()) }).block?.exitSignal).toBe(true);
    expect(decideCompletion({ iteration: 4, output: at3(claim()) }).block).toBeNull();
  });
});

describe('shouldRunVerify', () => {
  const rows: [name: string, output: CompletionInput['output'], expected: boolean][] = [
    ['a fresh claim', at3(claim()), true],
    [
      'a fresh uncorroborated claim (verify is the corroboration)',
      at3(claim({ RECOMMENDATION: 'Continue' })),
      true,
    ],
    ['no claim', at3(reply({ EXIT_SIGNAL: 'false' })), false],
    ['a contradictory claim', at3(claim({ STATUS: 'BLOCKED' })), false],
    ['a stale claim', { iteration: 2, text: claim() }, false],
    ['no output', null, false],
  ];
  it.each(rows)('%s', (_name, output, expected) =>
    expect(shouldRunVerify({ iteration: 3, output })).toBe(expected),
  );
});

describe('namesRemainingWork', () => {
  const rows: [string, boolean][] = [
    ['Nothing left to do.', false],
    ['No remaining work.', false],
    ['No further changes needed; ready for review.', false],
    ['All tasks are done.', false],
    ['The implementation is complete. Ship it.', false],
    ['None', false],
    ['N/A', false],
    ['Ready for review.', false],
    ['Open a pull request.', false],
    ['Continue with the next task.', true],
    ['Next step: add tests for the parser.', true],
    ['Still need to update the docs.', true],
    ['Two items remain: docs and changelog.', true],
    ['TODO: handle errors', true],
    ['The API is not yet wired.', true],
    ['We should now add integration tests.', true],
    ['None of the tests exist yet; continue with them.', true],
    ['Nothing is broken, but the docs are still missing.', true],
  ];
  it.each(rows)('%j → %s', (text, expected) => expect(namesRemainingWork(text)).toBe(expected));
});

describe('checklistFromTodos', () => {
  const rows: [name: string, input: unknown, expected: ReturnType<typeof checklistFromTodos>][] = [
    [
      'a mixed list',
      { todos: [{ status: 'completed' }, { status: 'in_progress' }, { status: 'pending' }] },
      { done: 1, total: 3 },
    ],
    ['all completed', { todos: [{ status: 'completed' }, { status: 'completed' }] }, { done: 2, total: 2 }],
    ['an empty list', { todos: [] }, { done: 0, total: 0 }],
    ['malformed items count as open', { todos: [null, 'x', { status: 'completed' }] }, { done: 1, total: 3 }],
    ['no todos field', { items: [] }, null],
    ['not an object', 'todos', null],
  ];
  it.each(rows)('%s', (_name, input, expected) => expect(checklistFromTodos(input)).toEqual(expected));
});

describe('trimOutput and fence', () => {
  it('keeps short output, strips colours and says when there is none', () => {
    expect(trimOutput('  \u001b[31mFAIL\u001b[39m x  \n')).toBe('FAIL x');
    expect(trimOutput('   ')).toBe('(no output)');
  });

  it('keeps the head and most of the tail of long output', () => {
    const text = `${'h'.repeat(5000)}${'t'.repeat(5000)}`;
    const out = trimOutput(text, 1000);
    expect(out.startsWith('h'.repeat(200))).toBe(true);
    expect(out.endsWith('t'.repeat(800))).toBe(true);
    expect(out).toContain('… 9000 characters cut …');
  });

  it('fences text so that backticks inside cannot close it', () => {
    expect(fence('a')).toBe('```\na\n```');
    expect(fence('x ```` y')).toBe('`````\nx ```` y\n`````');
  });
});
