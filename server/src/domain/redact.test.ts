import { describe, expect, it } from 'vitest';
import { createRedactor, mergeSpans, redactDeep, REDACTED as R } from './redact.js';
import { FAKE as F } from './testing/secret-fakes.js';

const PEM_END = `${F.rsaKey}\n-----END RSA PRIVATE KEY-----`;

describe('createRedactor: secrets it must hide', () => {
  const redact = createRedactor(['hunter2-but-longer', 'short', 'db-pass-1234', 'db-pass-1234-and-more']);
  const rows: [name: string, input: string, expected: string][] = [
    ['a known secret value', 'password: hunter2-but-longer;', `password: ${R};`],
    ['a known value repeated', 'hunter2-but-longer/hunter2-but-longer', `${R}/${R}`],
    ['a secret containing another is replaced whole', 'x db-pass-1234-and-more y', `x ${R} y`],
    ['AWS access key id', `aws_access_key_id = ${F.awsKeyId}`, `aws_access_key_id = ${R}`],
    [
      'AWS secret key in a credentials file',
      `aws_secret_access_key = ${F.awsSecret}`,
      `aws_secret_access_key = ${R}`,
    ],
    [
      'AWS secret key in `aws sts` JSON',
      `"SecretAccessKey": "${F.awsSecret}",`,
      `"SecretAccessKey": "${R}",`,
    ],
    [
      'AWS secret key in an env line',
      `export AWS_SECRET_ACCESS_KEY=${F.awsSecret}`,
      `export AWS_SECRET_ACCESS_KEY=${R}`,
    ],
    [
      'fine-grained GitHub PAT',
      `git clone https://x:${F.githubPat}@github.com/o/r.git`,
      `git clone https://x:${R}@github.com/o/r.git`,
    ],
    ['ghp_ token', `token ${F.ghp} end`, `token ${R} end`],
    ['gho_ token', F.gho, R],
    ['ghs_ token', `(${F.ghs})`, `(${R})`],
    ['Slack bot token', `SLACK_BOT=${F.slackBot}`, `SLACK_BOT=${R}`],
    ['Slack user token', `"${F.slackUser}"`, `"${R}"`],
    ['Slack app token', `app token: ${F.slackApp}`, `app token: ${R}`],
    ['Slack webhook URL', `curl -X POST ${F.slackWebhook} -d @msg.json`, `curl -X POST ${R} -d @msg.json`],
    ['Stripe live key', `Stripe::API_KEY = '${F.stripeLive}'`, `Stripe::API_KEY = '${R}'`],
    ['Stripe restricted key', `stripe.key(${JSON.stringify(F.stripeRestricted)})`, `stripe.key("${R}")`],
    [
      'Google API key',
      `https://maps.googleapis.com/maps/api/js?key=${F.google}&v=3`,
      `https://maps.googleapis.com/maps/api/js?key=${R}&v=3`,
    ],
    ['GitLab PAT', `PRIVATE-TOKEN: ${F.gitlab}`, `PRIVATE-TOKEN: ${R}`],
    [
      'npm token in .npmrc',
      `//registry.npmjs.org/:_authToken=${F.npm}`,
      `//registry.npmjs.org/:_authToken=${R}`,
    ],
    ['Anthropic key', `ANTHROPIC_API_KEY=${F.anthropic}`, `ANTHROPIC_API_KEY=${R}`],
    ['Anthropic key of another length', `key ${F.anthropicShort}`, `key ${R}`],
    ['OpenAI project key', `key: "${F.openai}"`, `key: "${R}"`],
    [
      'Telegram bot token in an API URL',
      `https://api.telegram.org/bot${F.telegram}/getMe`,
      `https://api.telegram.org/bot${R}/getMe`,
    ],
    ['a JWT', `cookie=session; jwt ${F.jwt};`, `cookie=session; jwt ${R};`],
    [
      'a postgres URL with a password',
      'psql postgres://u:p@db.internal:5432/app',
      `psql postgres://u:${R}@db.internal:5432/app`,
    ],
    [
      'a redis URL with a password',
      `REDIS_URL=redis://default:${F.password}@cache:6379`,
      `REDIS_URL=redis://default:${R}@cache:6379`,
    ],
    [
      'Authorization: Basic',
      `curl -H "Authorization: Basic ${F.basic}" https://x`,
      `curl -H "Authorization: Basic ${R}" https://x`,
    ],
    [
      'Authorization: Bearer keeps its word',
      `Authorization: Bearer ${F.bearer}`,
      `Authorization: Bearer ${R}`,
    ],
    ['lower-case bearer', 'authorization: bearer abc.123-def_456', `authorization: bearer ${R}`],
    ['.env PASSWORD', `DB_PASSWORD=${F.password}`, `DB_PASSWORD=${R}`],
    ['.env quoted SECRET', `export APP_SECRET="${F.password}"`, `export APP_SECRET="${R}"`],
    ['.env TOKEN in a shell line', `GITHUB_TOKEN=${F.password} gh pr list`, `GITHUB_TOKEN=${R} gh pr list`],
    ['.env API_KEY with a short value', 'MAILER_API_KEY=k3y-42', `MAILER_API_KEY=${R}`],
    ['lower-case password in an INI file', 'password=swordfish', `password=${R}`],
    ['a token in a query string', 'GET /hook?token=abc123xyz&x=1', `GET /hook?token=${R}&x=1`],
    ['a PEM private key with its END line', `key:\n${PEM_END}\nafter`, `key:\n${R}\nafter`],
    ['a PEM private key cut before its END line', `$ cat id_rsa\n${F.rsaKey}`, `$ cat id_rsa\n${R}`],
    [
      'an OpenSSH key cut short, then prose',
      `${F.opensshKey}\n\n(output truncated)`,
      `${R}\n\n(output truncated)`,
    ],
    [
      'a low-entropy GitHub token gitleaks lets through',
      'gh=ghp_abcdefghijklmnopqrstuvwxyz0123456789',
      `gh=${R}`,
    ],
    ['a low-entropy AWS key id', `id ${'AKIA'}${'Q7XZ'.repeat(4)}`, `id ${R}`],
    ['two secrets on one line', `${F.ghp} and ${F.anthropic}`, `${R} and ${R}`],
  ];
  it.each(rows)('%s', (_name, input, expected) => expect(redact(input)).toBe(expected));
});

describe('createRedactor: text it must leave alone', () => {
  const redact = createRedactor(['hunter2-but-longer']);
  const rows: [name: string, input: string][] = [
    ['a value under 8 characters is not a known secret', 'a short story'],
    ['kebab-case after task-', 'task-sk-aaaaaaaaaaaaaaaaaaaaaaaaa'],
    ['sk- followed by a long word without digits', 'sk-learn-contributors-guide-long'],
    ['a short sk- string', 'sk-1234'],
    ['Bearer in prose', 'Bearer authentication is described below'],
    ['Bearer with a shell variable', 'Authorization: Bearer $TOKEN'],
    ['Basic in prose', 'Basic usage: run the command twice.'],
    ['a clock time', 'at 12:30:45 UTC'],
    ['ghp_ too short', 'ghp_abc'],
    ['AKIA inside a longer word', `X${F.awsKeyId}Y`],
    ['a token read from the environment in code', 'const token = process.env.GITHUB_TOKEN;'],
    ['an env reference', 'DB_PASSWORD=${DB_PASSWORD}'],
    ['a shell variable', 'export GITHUB_TOKEN=$GH_TOKEN'],
    ['a flag under a secret-looking key', 'REQUIRE_AUTH=true'],
    ['a number under a secret-looking key', 'MAX_TOKEN=4096'],
    ['JSX props', '<Shell key={token} token={token} onToken={(t) => setToken(t)} />'],
    ['a URL with a user and no password', 'ssh://git@github.com/o/r.git'],
    ['a URL with a port', 'http://localhost:3000/api/tasks'],
    ['a placeholder in a URL', 'postgres://user:${PGPASSWORD}@localhost/db'],
    [
      'a PEM public key',
      '-----BEGIN PUBLIC KEY-----\nMIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA\n-----END PUBLIC KEY-----',
    ],
    ['plain text', 'nothing to see here'],
    ['empty text', ''],
  ];
  it.each(rows)('%s', (_name, input) => expect(redact(input)).toBe(input));

  it('escapes regex characters in secret values', () => {
    const r = createRedactor(['a.b*c+d?(e)[f]']);
    expect(r('x a.b*c+d?(e)[f] y aXbbbcd')).toBe(`x ${R} y aXbbbcd`);
  });

  it('works with no known secrets and is reusable across calls (no regex state leaks)', () => {
    const r = createRedactor([]);
    expect(r(F.ghp)).toBe(R);
    expect(r(F.ghp)).toBe(R);
    expect(r('hunter2-but-longer')).toBe('hunter2-but-longer');
  });

  it('redacts its own output to the same text', () => {
    const once = redact(`Bearer ${F.bearer} DB_PASSWORD=${F.password} ${F.rsaKey}`);
    expect(redact(once)).toBe(once);
  });

  it('reports where the secrets are', () => {
    const text = `a ${F.ghp} b`;
    expect(redact.spans(text)).toEqual([{ start: 2, end: 2 + F.ghp.length, rule: 'github-pat' }]);
  });
});

describe('mergeSpans', () => {
  it('joins overlapping and touching spans and sorts them', () => {
    const s = (start: number, end: number) => ({ start, end, rule: 'r' });
    expect(mergeSpans([s(10, 12), s(0, 4), s(3, 6), s(6, 8)])).toEqual([s(0, 8), s(10, 12)]);
  });
});

describe('redactDeep', () => {
  const redact = createRedactor(['super-secret-value']);

  it('redacts strings at any depth and leaves keys, numbers and the input alone', () => {
    const input = {
      command: `curl -H "Authorization: Bearer super-secret-value"`,
      'super-secret-value': 1,
      nested: { list: ['ok', F.ghp, { deep: `k=${F.anthropic}` }], n: 3, flag: true, none: null },
    };
    const out = redactDeep(input, redact);
    expect(out).toEqual({
      command: `curl -H "Authorization: Bearer ${R}"`,
      'super-secret-value': 1,
      nested: { list: ['ok', R, { deep: `k=${R}` }], n: 3, flag: true, none: null },
    });
    expect(input.nested.list[1]).toBe(F.ghp);
  });

  it.each([
    ['a string', 'super-secret-value', R],
    ['a number', 42, 42],
    ['null', null, null],
    ['undefined', undefined, undefined],
  ])('handles %s at the top', (_name, input, expected) => expect(redactDeep(input, redact)).toBe(expected));

  it('keeps a cycle as a cycle', () => {
    const a: Record<string, unknown> = { s: 'super-secret-value' };
    a.self = a;
    const out = redactDeep(a, redact);
    expect(out.s).toBe(R);
    expect(out.self).toBe(out);
  });

  it('copies a part met twice once, keeps a cycle below the top, and leaves a non-plain object as it is', () => {
    const shared = { s: 'super-secret-value' };
    const inner: Record<string, unknown> = { shared };
    inner.self = inner;
    const when = new Date(0);
    const out = redactDeep({ a: shared, b: [shared], inner, when }, redact);
    expect(out.a).toEqual({ s: R });
    expect(out.a).not.toBe(shared);
    expect(out.b[0]).toBe(out.a);
    expect(out.inner.shared).toBe(out.a);
    expect(out.inner.self).toBe(out.inner);
    expect(out.when).toBe(when);
    expect(shared.s).toBe('super-secret-value');
  });
});
