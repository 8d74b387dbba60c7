/**
 * How the endings below were chosen: they are the closing words of coding agents' turns (Claude Code's,
 * Codex's) in the shapes such turns take — a summary, a blocker, an offer, a question, a choice between
 * numbered options, a request for confirmation or for a missing value — written for this test from those
 * patterns, not copied from real sessions. Half ask the user for input (with or without a question mark),
 * half do not; each non-question is picked as a near miss of a question: it uses the same words ("let me
 * know", "please", "?", "choose", a numbered list) in a turn that asks nothing, so the rules are tested at
 * their edge rather than on easy cases.
 */
import { describe, expect, it } from 'vitest';
import { asks } from './question-asks.js';
import { extractTrailingQuestion } from './question-ending.js';

/** Endings that ask the user for input: the task must wait for an answer. */
const QUESTIONS = [
  'I added the endpoint.\n\nShould I also add tests?',
  'Question: formal or casual? Please answer before I continue.',
  'I found two ways to fix the flaky test:\n\n1. Retry the network call\n2. Mock the clock\n\nLet me know which you prefer.',
  'The config can live in `package.json` or in `gluon.config.ts`.\n\nReply with your choice.',
  'Before I delete `legacy/`: it still holds 3 scripts that CI references.\n\nPlease confirm that it can go.',
  'Which database should I target: PostgreSQL or SQLite?',
  "I can't find the staging settings in the repository. Please provide the bucket name and the region so I can finish the deploy script.",
  "Two options:\n- A: keep the old API and add a v2 route\n- B: change the route in place\n\nPick one and I'll continue.",
  "The migration rewrites 12,000 rows. I'll wait for your go-ahead before running it.",
  'Do you want me to open a pull request, or keep the branch local?',
  'Shall I start with step 1 of the plan above?',
  'Tests pass locally, but the e2e suite needs a Chrome binary. Can you install `chromium` on the runner, or should I skip those tests?',
  '> Which port should the dev server use?',
  '## Next step\n\nDo you want the cache in Redis or in memory?',
  'I need your confirmation before force-pushing `main`.',
  'Options:\n1. Upgrade to React 19\n2. Stay on 18 and pin the types\n\nWhich one?',
  "Once you confirm the API version, I'll regenerate the client.",
  'Everything else is done. One open point: should failed webhooks be retried?',
  'Your call: keep the feature flag or remove it.',
  'Let me know whether the timeout should be 30 s or 60 s.',
  'Please answer with 1, 2 or 3.',
  'Choose one:\n1. Squash the commits\n2. Keep the history',
  'I stopped before touching the production config. Waiting for your decision on the new limits.',
];

/** Endings that ask nothing (or only out of courtesy): the work is done, the task goes to review. */
const NOT_QUESTIONS = [
  'Done. All tests pass.',
  'Let me know if you need anything else.',
  "I've updated the parser and added tests. Let me know if you have any questions!",
  "Is there anything else you'd like me to help with?",
  'Summary:\n- Added `retry()`\n- Fixed the flaky test\n- Updated the docs',
  'Should I add tests? I went ahead and added them anyway.',
  'Why did the build fail? The lockfile was out of date; regenerating it fixed it.',
  'Feel free to reach out if anything breaks.',
  'Please review the diff and merge it when ready.',
  'Please run `npm install` before starting the server.',
  'Let me know if this works for you.',
  'Let me know how it goes!',
  'The regex now accepts both spellings: `colou?r`.',
  'Here is the patch:\n\n```diff\n- const a = x?.y\n+ const a = x ?? y\n```',
  'Changes:\n1. Renamed `foo` to `bar`\n2. Removed the unused import',
  "If you'd like, I can also add a CLI flag for this.",
  'Hope this helps!',
  "I couldn't reproduce the crash. I added logging around the socket so the next failure shows its cause.",
  'All 42 tests pass and the branch is pushed. Ready for review.',
  "Let me know if you'd like any further changes.",
  'FAQ:\n- Can I run it offline? Yes.\n- Does it need Docker? No.',
  'You can choose between JSON and YAML output with `--format`.',
  'Anything else?',
  'I decided to use SQLite since the data is small, and confirmed the numbers on staging.',
  'Select a model in the dropdown to see its cost.',
];

describe('closing words: does the turn ask for input?', () => {
  it('has at least 40 endings, half of them questions', () => {
    expect(QUESTIONS.length + NOT_QUESTIONS.length).toBeGreaterThanOrEqual(40);
    expect(Math.abs(QUESTIONS.length - NOT_QUESTIONS.length)).toBeLessThanOrEqual(2);
  });
  it.each(QUESTIONS)('asks: %j', (text) => expect(extractTrailingQuestion(text)).not.toBeNull());
  it.each(NOT_QUESTIONS)('does not ask: %j', (text) => expect(extractTrailingQuestion(text)).toBeNull());
});

describe('extractTrailingQuestion', () => {
  const rows: [name: string, text: string, expected: string | null][] = [
    ['a final question', 'I added the endpoint.\n\nShould I also add tests?', 'Should I also add tests?'],
    ['trailing whitespace', 'Done.\n\nShall I push the branch?  \n\n\n', 'Shall I push the branch?'],
    [
      'bold emphasis',
      'Refactor done.\n\n**Do you want me to rename the module too?**',
      'Do you want me to rename the module too?',
    ],
    ['italic emphasis', '_Which database should I target?_', 'Which database should I target?'],
    [
      'a closing parenthesis',
      'I can keep both (or should I drop the old one?)',
      'I can keep both (or should I drop the old one?)',
    ],
    ['a heading', 'Summary.\n\n## Ready to merge?', 'Ready to merge?'],
    ['a blockquote', '> Can I delete the legacy folder?', 'Can I delete the legacy folder?'],
    ['full-width question mark', '要继续吗？', '要继续吗？'],
    ['CRLF line ends', 'Done.\r\n\r\nProceed?\r\n', 'Proceed?'],
    [
      'the whole last paragraph',
      'Tests pass. Which format do you want?',
      'Tests pass. Which format do you want?',
    ],
    [
      'a question before a trailing code block',
      'Should I apply this patch?\n\n```diff\n- a\n+ b\n```\n',
      'Should I apply this patch?',
    ],
    [
      'a question then choices in the same paragraph',
      'Which approach do you want?\n1. Rewrite\n2. Patch',
      'Which approach do you want?\n1. Rewrite\n2. Patch',
    ],
    ['a question then choices after a blank line', 'Which one?\n\n- A\n- B', 'Which one?\n- A\n- B'],
    [
      'a list ending with a question',
      'Open points:\n- Should we cache?\n- Which DB?',
      'Open points:\n- Should we cache?\n- Which DB?',
    ],
    // Not questions.
    ['a statement', 'All tests pass. The branch is ready.', null],
    ['a question that is not last', 'Should I add tests? I added them anyway.', null],
    ['an earlier question paragraph', 'Why did it fail?\n\nIt was a typo; fixed.', null],
    ['a list after a statement', 'Changes:\n- a\n- b', null],
    ['a question only inside trailing code', 'Here is the code:\n\n```ts\nconst x = a ? b : c?\n```', null],
    ['empty text', '', null],
    ['only whitespace', '  \n\n ', null],
    ['only a code block', '```\nwhat?\n```', null],
  ];
  it.each(rows)('%s', (_name, text, expected) => expect(extractTrailingQuestion(text)).toBe(expected));

  it('keeps only the last sentences of a very long paragraph', () => {
    const long = `${'This is context that goes on. '.repeat(30)}Which of these should I fix first?`;
    const q = extractTrailingQuestion(long);
    expect(q?.endsWith('Which of these should I fix first?')).toBe(true);
    expect(q?.length).toBeLessThanOrEqual(400);
    expect(q?.startsWith('This is context')).toBe(true);
  });
});

describe('the question returned', () => {
  const rows: [name: string, text: string, expected: string][] = [
    [
      'a question then a request: the whole closing paragraph',
      'Question: formal or casual? Please answer before I continue.',
      'Question: formal or casual? Please answer before I continue.',
    ],
    [
      'a request after a question paragraph brings the question along',
      'Formal or casual?\n\nPlease answer before I continue.',
      'Formal or casual?\nPlease answer before I continue.',
    ],
    [
      'a request after numbered options brings the options along',
      'I found two ways:\n\n1. Retry the call\n2. Mock the clock\n\nLet me know which you prefer.',
      '1. Retry the call\n2. Mock the clock\nLet me know which you prefer.',
    ],
    [
      'a short question after options brings the options along',
      'Options:\n1. Upgrade\n2. Pin\n\nWhich one?',
      'Options:\n1. Upgrade\n2. Pin\nWhich one?',
    ],
    ['a choice verb with its options', 'Choose one:\n1. Squash\n2. Keep', 'Choose one:\n1. Squash\n2. Keep'],
  ];
  it.each(rows)('%s', (_name, text, expected) => expect(extractTrailingQuestion(text)).toBe(expected));
});

describe('asks', () => {
  const rows: [sentence: string, expected: ReturnType<typeof asks>][] = [
    ['Should I rename `foo`?', 'question'],
    ['Reply with your choice.', 'request'],
    ['**Please confirm.**', 'request'],
    ['2. Let me know which you prefer', 'request'],
    ['Any questions?', null],
    ['Let me know if you run into any issues.', null],
    ['Confirmed the fix on staging.', null],
    ['Pick the fastest runner for CI jobs.', null],
    ['Pick option 2 or 3.', 'request'],
    ['', null],
  ];
  it.each(rows)('%j → %s', (sentence, expected) => expect(asks(sentence)).toBe(expected));
});
