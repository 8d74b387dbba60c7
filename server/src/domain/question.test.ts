import { describe, expect, it } from 'vitest';
import type { Question } from '../../../shared/events.js';
import { answersForAskUserQuestion, questionsFromAskUserQuestion } from './question.js';

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
