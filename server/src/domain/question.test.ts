import { describe, expect, it } from 'vitest';
import type { Question } from '../../../shared/events.js';
import {
  answersForAskUserQuestion,
  extractTrailingQuestion,
  questionsFromAskUserQuestion,
} from './question.js';

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

const AUTH: Question = {
  question: 'Which auth method?',
  header: 'Auth',
  options: [
    { label: 'OAuth', description: 'Third-party login' },
    { label: 'Magic link', description: 'Email link' },
  ],
  multiSelect: false,
};
const FEATURES: Question = {
  question: 'Which features do you want?',
  header: 'Features',
  options: [{ label: 'Search' }, { label: 'Export' }, { label: 'Dark mode' }],
  multiSelect: true,
};

describe('questionsFromAskUserQuestion', () => {
  it('accepts the SDK shape and keeps only the known fields', () => {
    const input = {
      questions: [
        { ...AUTH, options: AUTH.options.map((o) => ({ ...o, preview: '<b>x</b>' })) },
        { question: 'Anything else?', options: [] },
      ],
    };
    expect(questionsFromAskUserQuestion(input)).toEqual([AUTH, { question: 'Anything else?', options: [] }]);
  });

  it.each([
    ['null', null],
    ['a string', 'Which?'],
    ['no questions', {}],
    ['empty questions', { questions: [] }],
    ['questions not an array', { questions: { 0: AUTH } }],
    ['a question without text', { questions: [{ ...AUTH, question: '  ' }] }],
    ['a numeric header', { questions: [{ ...AUTH, header: 3 }] }],
    ['options missing', { questions: [{ question: 'x?' }] }],
    ['an option without label', { questions: [{ ...AUTH, options: [{ description: 'd' }] }] }],
    ['a non-string description', { questions: [{ ...AUTH, options: [{ label: 'a', description: 1 }] }] }],
    ['multiSelect as a string', { questions: [{ ...AUTH, multiSelect: 'yes' }] }],
  ])('rejects %s', (_name, input) => expect(questionsFromAskUserQuestion(input)).toBeNull());
});

describe('answersForAskUserQuestion', () => {
  const rows: [name: string, questions: Question[], text: string, expected: Record<string, string>][] = [
    ['a label in another case', [AUTH], 'oauth', { 'Which auth method?': 'OAuth' }],
    ['a quoted label with a full stop', [AUTH], ' "Magic link". ', { 'Which auth method?': 'Magic link' }],
    ['an option number', [AUTH], '2', { 'Which auth method?': 'Magic link' }],
    ['an out-of-range number is free text', [AUTH], '7', { 'Which auth method?': '7' }],
    ['free text', [AUTH], 'Use SAML, we need SSO', { 'Which auth method?': 'Use SAML, we need SSO' }],
    [
      'multiSelect labels',
      [FEATURES],
      'search, dark mode',
      { 'Which features do you want?': 'Search, Dark mode' },
    ],
    ['multiSelect numbers', [FEATURES], '1,3', { 'Which features do you want?': 'Search, Dark mode' }],
    [
      'multiSelect with an unknown item stays free text',
      [FEATURES],
      'search, sync',
      { 'Which features do you want?': 'search, sync' },
    ],
    [
      'numbered answers to several questions',
      [AUTH, FEATURES],
      '1: oauth\n2) export, search',
      { 'Which auth method?': 'OAuth', 'Which features do you want?': 'Export, Search' },
    ],
    [
      'answers by header, with a continuation line',
      [AUTH, FEATURES],
      'Features: everything\nbut keep it small\nAuth: Magic link',
      { 'Which auth method?': 'Magic link', 'Which features do you want?': 'everything\nbut keep it small' },
    ],
    [
      'one text for all questions',
      [AUTH, FEATURES],
      'You decide',
      { 'Which auth method?': 'You decide', 'Which features do you want?': 'You decide' },
    ],
    [
      'a question no line answers gets the whole text',
      [AUTH, FEATURES],
      '1. OAuth',
      { 'Which auth method?': 'OAuth', 'Which features do you want?': '1. OAuth' },
    ],
  ];
  it.each(rows)('%s', (_name, questions, text, expected) => {
    expect(answersForAskUserQuestion(questions, text)).toEqual(expected);
  });
});
