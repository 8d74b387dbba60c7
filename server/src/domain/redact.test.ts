import { describe, expect, it } from 'vitest';
import { createRedactor, redactDeep } from './redact.js';

// Fake tokens are assembled at run time so no token-shaped literal sits in the repository.
const fill = (n: number, unit = 'aB3x') => unit.repeat(Math.ceil(n / unit.length)).slice(0, n);
const ANTHROPIC = `sk-ant-api03-${fill(40)}`;
const OPENAI = `sk-proj-${fill(48)}`;
const GHP = `ghp_${fill(36)}`;
const GHO = `gho_${fill(36)}`;
const GHS = `ghs_${fill(36)}`;
const PAT = `github_pat_${fill(22)}_${fill(59)}`;
const SLACK = `xoxb-1234567890-${fill(24)}`;
const AWS = `AKIA${fill(16, 'Q7XZ')}`;
const TELEGRAM = `123456789:${fill(35)}`;
const JWT = `eyJ${fill(20)}.eyJ${fill(30)}.${fill(43)}`;
const PEM = `-----BEGIN RSA PRIVATE KEY-----\n${fill(64)}\n${fill(64)}\n-----END RSA PRIVATE KEY-----`;

describe('createRedactor', () => {
  const redact = createRedactor(['hunter2-but-longer', 'short', 'db-pass-1234', 'db-pass-1234-and-more']);
  const rows: [name: string, input: string, expected: string][] = [
    ['a known secret value', 'password=hunter2-but-longer;', 'password=[REDACTED];'],
    ['a known value repeated', 'hunter2-but-longer/hunter2-but-longer', '[REDACTED]/[REDACTED]'],
    ['a secret containing another is replaced whole', 'x db-pass-1234-and-more y', 'x [REDACTED] y'],
    ['a value under 8 characters is left alone', 'a short story', 'a short story'],
    ['an Anthropic key', `ANTHROPIC_API_KEY=${ANTHROPIC}`, 'ANTHROPIC_API_KEY=[REDACTED]'],
    ['an OpenAI project key', `key: "${OPENAI}"`, 'key: "[REDACTED]"'],
    ['ghp_ token', `token ${GHP} end`, 'token [REDACTED] end'],
    ['gho_ token', GHO, '[REDACTED]'],
    ['ghs_ token', `(${GHS})`, '([REDACTED])'],
    ['fine-grained PAT', `https://x:${PAT}@github.com/o/r.git`, 'https://x:[REDACTED]@github.com/o/r.git'],
    ['Slack bot token', `SLACK=${SLACK}`, 'SLACK=[REDACTED]'],
    ['AWS access key id', `aws_access_key_id = ${AWS}`, 'aws_access_key_id = [REDACTED]'],
    [
      'Telegram bot token',
      `https://api.telegram.org/bot${TELEGRAM}/getMe`,
      'https://api.telegram.org/bot[REDACTED]/getMe',
    ],
    ['a JWT', `cookie=${JWT};`, 'cookie=[REDACTED];'],
    ['a PEM private key block', `key:\n${PEM}\nafter`, 'key:\n[REDACTED]\nafter'],
    ['Bearer keeps its word', 'Authorization: Bearer abc123def456ghi', 'Authorization: Bearer [REDACTED]'],
    ['lower-case bearer', 'authorization: bearer abc.123-def_456', 'authorization: bearer [REDACTED]'],
    ['two tokens on one line', `${GHP} and ${ANTHROPIC}`, '[REDACTED] and [REDACTED]'],
    // Non-matches: ordinary text that merely resembles a token must survive.
    ['kebab-case after task-', 'task-sk-aaaaaaaaaaaaaaaaaaaaaaaaa', 'task-sk-aaaaaaaaaaaaaaaaaaaaaaaaa'],
    [
      'sk- followed by a long word without digits',
      'sk-learn-contributors-guide-long',
      'sk-learn-contributors-guide-long',
    ],
    ['a short sk- string', 'sk-1234', 'sk-1234'],
    [
      'Bearer in prose',
      'Bearer authentication is described below',
      'Bearer authentication is described below',
    ],
    ['Bearer with a shell variable', 'Authorization: Bearer $TOKEN', 'Authorization: Bearer $TOKEN'],
    ['a clock time', 'at 12:30:45 UTC', 'at 12:30:45 UTC'],
    ['ghp_ too short', 'ghp_abc', 'ghp_abc'],
    ['AKIA inside a longer word', `X${AWS}Y`, `X${AWS}Y`],
    ['plain text', 'nothing to see here', 'nothing to see here'],
    ['empty text', '', ''],
  ];
  it.each(rows)('%s', (_name, input, expected) => expect(redact(input)).toBe(expected));

  it('works with no known secrets and is reusable across calls (no regex state leaks)', () => {
    const r = createRedactor([]);
    expect(r(GHP)).toBe('[REDACTED]');
    expect(r(GHP)).toBe('[REDACTED]');
    expect(r('hunter2-but-longer')).toBe('hunter2-but-longer');
  });

  it('escapes regex characters in secret values', () => {
    const r = createRedactor(['a.b*c+d?(e)[f]']);
    expect(r('x a.b*c+d?(e)[f] y aXbbbcd')).toBe('x [REDACTED] y aXbbbcd');
  });

  it('scans a megabyte of tool output quickly', () => {
    const big = `${'lorem ipsum dolor sit amet 12:34 '.repeat(30_000)}${GHP}`;
    const started = performance.now();
    const out = redact(big);
    expect(out.endsWith('[REDACTED]')).toBe(true);
    expect(performance.now() - started).toBeLessThan(500);
  });
});

describe('redactDeep', () => {
  const redact = createRedactor(['super-secret-value']);

  it('redacts strings at any depth and leaves keys, numbers and the input alone', () => {
    const input = {
      command: `curl -H "Authorization: Bearer super-secret-value"`,
      'super-secret-value': 1,
      nested: { list: ['ok', GHP, { deep: `k=${ANTHROPIC}` }], n: 3, flag: true, none: null },
    };
    const out = redactDeep(input, redact);
    expect(out).toEqual({
      command: 'curl -H "Authorization: Bearer [REDACTED]"',
      'super-secret-value': 1,
      nested: { list: ['ok', '[REDACTED]', { deep: 'k=[REDACTED]' }], n: 3, flag: true, none: null },
    });
    expect(input.nested.list[1]).toBe(GHP);
  });

  it.each([
    ['a string', 'super-secret-value', '[REDACTED]'],
    ['a number', 42, 42],
    ['null', null, null],
    ['undefined', undefined, undefined],
  ])('handles %s at the top', (_name, input, expected) => expect(redactDeep(input, redact)).toBe(expected));

  it('keeps a cycle as a cycle', () => {
    const a: Record<string, unknown> = { s: 'super-secret-value' };
    a.self = a;
    const out = redactDeep(a, redact);
    expect(out.s).toBe('[REDACTED]');
    expect(out.self).toBe(out);
  });
});
