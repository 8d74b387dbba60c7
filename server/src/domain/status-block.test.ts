import { describe, expect, it } from 'vitest';
import {
  STATUS_BLOCK_END,
  STATUS_BLOCK_INSTRUCTIONS,
  STATUS_BLOCK_START,
  parseStatusBlock,
  stripStatusBlocks,
  type StatusBlock,
} from './status-block.js';

const block = (lines: string[]) => [STATUS_BLOCK_START, ...lines, STATUS_BLOCK_END].join('\n');
const full = block([
  'STATUS: COMPLETE',
  'TASKS_COMPLETED_THIS_LOOP: 2',
  'FILES_MODIFIED: 3',
  'TESTS_STATUS: PASSING',
  'WORK_TYPE: IMPLEMENTATION',
  'EXIT_SIGNAL: true',
  'RECOMMENDATION: Nothing left to do.',
]);
const FULL: StatusBlock = {
  status: 'complete',
  tasksCompletedThisLoop: 2,
  filesModified: 3,
  testsStatus: 'passing',
  workType: 'implementation',
  exitSignal: true,
  recommendation: 'Nothing left to do.',
};

describe('parseStatusBlock', () => {
  const rows: [name: string, text: string, expected: Partial<StatusBlock> | null][] = [
    ['a full block after text', `All done.\n\n${full}`, FULL],
    // The exact text of the fake API's `status-block` scenario.
    [
      'the fake API scenario',
      'Made progress; more work remains.\n\n---GLUON_STATUS---\nSTATUS: IN_PROGRESS\nFILES_MODIFIED: 1\n' +
        'TESTS_STATUS: NOT_RUN\nEXIT_SIGNAL: false\nRECOMMENDATION: Continue with the next task.\n' +
        '---END_GLUON_STATUS---',
      {
        status: 'in_progress',
        filesModified: 1,
        testsStatus: 'not_run',
        exitSignal: false,
        recommendation: 'Continue with the next task.',
        tasksCompletedThisLoop: null,
        workType: null,
      },
    ],
    ['inside a markdown fence', `Done.\n\n\`\`\`\n${full}\n\`\`\``, FULL],
    ['inside a fence with a language', `\`\`\`text\n${full}\n\`\`\`\n`, FULL],
    [
      'lower case keys, markers and values, odd spacing',
      '--- gluon_status ---\n  status :complete\nexit_signal =  TRUE \n tests_status:   passed\n---end_gluon_status---',
      { status: 'complete', exitSignal: true, testsStatus: 'passing' },
    ],
    [
      'bullets, bold keys and backticked values',
      block(['- **STATUS**: `COMPLETE`', '* **EXIT_SIGNAL:** true', '- TESTS_STATUS: "PASSING"']),
      { status: 'complete', exitSignal: true, testsStatus: 'passing' },
    ],
    ['CRLF line ends', full.replace(/\n/g, '\r\n'), FULL],
    [
      'no end marker: to the end of the text',
      `${STATUS_BLOCK_START}\nEXIT_SIGNAL: true`,
      { exitSignal: true },
    ],
    [
      'only the last block counts',
      `${full}\n\nWait, one more thing.\n\n${block(['STATUS: IN_PROGRESS', 'EXIT_SIGNAL: false'])}`,
      { status: 'in_progress', exitSignal: false },
    ],
    [
      'a later unterminated block still supersedes',
      `${full}\n${STATUS_BLOCK_START}\nSTATUS: BLOCKED`,
      { status: 'blocked', exitSignal: false },
    ],
    [
      'a multi-line recommendation',
      block(['EXIT_SIGNAL: false', 'RECOMMENDATION: Add tests for the parser.', 'Note: the lexer is done.']),
      { recommendation: 'Add tests for the parser. Note: the lexer is done.' },
    ],
    [
      'a colon inside the recommendation',
      block(['RECOMMENDATION: Next: ship it']),
      { recommendation: 'Next: ship it' },
    ],
    ['a count with a unit', block(['FILES_MODIFIED: 4 files']), { filesModified: 4 }],
    ['garbled count', block(['FILES_MODIFIED: several']), { filesModified: null }],
    ['unknown status value', block(['STATUS: PONDERING', 'EXIT_SIGNAL: false']), { status: null }],
    ['exit signal yes', block(['EXIT_SIGNAL: yes']), { exitSignal: true }],
    [
      'exit signal "true-ish" text is no claim',
      block(['EXIT_SIGNAL: true if tests pass']),
      { exitSignal: false },
    ],
    ['exit signal missing', block(['STATUS: COMPLETE']), { status: 'complete', exitSignal: false }],
    // No block.
    ['no block at all', 'I changed three files. EXIT_SIGNAL: true', null],
    [
      "Ralph's framing",
      'Work continues.\n\n---RALPH_STATUS---\nSTATUS: IN_PROGRESS\nTASKS_COMPLETED_THIS_LOOP: 1\nFILES_MODIFIED: 2\n' +
        'TESTS_STATUS: FAILING\nWORK_TYPE: TESTING\nEXIT_SIGNAL: false\nRECOMMENDATION: Fix the parser test.\n' +
        '---END_RALPH_STATUS---',
      {
        status: 'in_progress',
        tasksCompletedThisLoop: 1,
        filesModified: 2,
        testsStatus: 'failing',
        workType: 'testing',
        exitSignal: false,
        recommendation: 'Fix the parser test.',
      },
    ],
    [
      "Ralph's framing, lower case, fenced, claiming completion",
      'Done.\n\n```\n--- ralph_status ---\nstatus: complete\nexit_signal: true\n--- end_ralph_status ---\n```',
      { status: 'complete', exitSignal: true },
    ],
    [
      'a Ralph block after a Gluon block supersedes it',
      `${full}\n---RALPH_STATUS---\nSTATUS: BLOCKED\nEXIT_SIGNAL: false\n---END_RALPH_STATUS---`,
      { status: 'blocked', exitSignal: false },
    ],
    [
      'a Ralph block whose end marker is missing runs to the end',
      'Summary.\n---RALPH_STATUS---\nEXIT_SIGNAL: true',
      { exitSignal: true },
    ],
    ['an empty Ralph block', '---RALPH_STATUS---\n---END_RALPH_STATUS---', null],
    ['an empty block', block([]), null],
    ['a block of unknown fields', block(['MOOD: great', 'COFFEE: 3']), null],
    ['empty text', '', null],
  ];
  it.each(rows)('%s', (_name, text, expected) => {
    const parsed = parseStatusBlock(text);
    if (expected === null) expect(parsed).toBeNull();
    else expect(parsed).toMatchObject(expected);
  });

  it('reads no claim from the instructions template echoed back verbatim', () => {
    const parsed = parseStatusBlock(`Here is what you asked.\n\n${STATUS_BLOCK_INSTRUCTIONS}`);
    expect(parsed).toMatchObject({ exitSignal: false, status: null, testsStatus: null, filesModified: null });
  });

  it('is total on non-string input', () => {
    expect(parseStatusBlock(undefined as unknown as string)).toBeNull();
  });
});

describe('STATUS_BLOCK_INSTRUCTIONS', () => {
  it('names every field and the exact framing', () => {
    for (const key of [
      'STATUS:',
      'TASKS_COMPLETED_THIS_LOOP:',
      'FILES_MODIFIED:',
      'TESTS_STATUS:',
      'WORK_TYPE:',
      'EXIT_SIGNAL:',
      'RECOMMENDATION:',
      STATUS_BLOCK_START,
      STATUS_BLOCK_END,
    ]) {
      expect(STATUS_BLOCK_INSTRUCTIONS).toContain(key);
    }
  });
});

describe('stripStatusBlocks', () => {
  const rows: [name: string, text: string, expected: string][] = [
    ['a trailing block', `Did the thing.\n\n${full}`, 'Did the thing.'],
    ['a fenced block', `Did it.\n\n\`\`\`\n${full}\n\`\`\`\n`, 'Did it.'],
    ['several blocks', `${full}\nmiddle\n${full}`, 'middle'],
    ['an unterminated block', `Summary.\n${STATUS_BLOCK_START}\nEXIT_SIGNAL: true`, 'Summary.'],
    [
      "Ralph's blocks",
      'Before.\n---RALPH_STATUS---\nEXIT_SIGNAL: true\n---END_RALPH_STATUS---\nAfter.\n---RALPH_STATUS---\nSTATUS: BLOCKED',
      'Before.\n\nAfter.',
    ],
    ['no block', '  Just text. ', 'Just text.'],
  ];
  it.each(rows)('%s', (_name, text, expected) => expect(stripStatusBlocks(text)).toBe(expected));
});
