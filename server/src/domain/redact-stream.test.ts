import { describe, expect, it } from 'vitest';
import { createRedactor, REDACTED as R } from './redact.js';
import { cutStream, MAX_HOLD } from './redact-stream.js';
import { FAKE as F } from './testing/secret-fakes.js';

const redact = createRedactor(['gluon-known-token-0123456789']);

/** Feeds `pieces` one by one as a streaming consumer would, then ends; returns everything sent. */
function stream(pieces: string[]): { sent: string[]; total: string } {
  const sent: string[] = [];
  let pending = '';
  for (const piece of pieces) {
    const cut = cutStream(pending + piece, redact);
    if (cut.send) sent.push(cut.send);
    pending = cut.keep;
  }
  sent.push(cutStream(pending, redact, true).send);
  return { sent, total: sent.join('') };
}

/** Every way to cut `text` in two. */
const halves = (text: string) =>
  Array.from({ length: text.length - 1 }, (_, i) => [text.slice(0, i + 1), text.slice(i + 1)]);

describe('cutStream', () => {
  const secrets: [name: string, text: string, expected: string][] = [
    ['a token', `Your token is ${F.ghp} keep it safe. `, `Your token is ${R} keep it safe. `],
    ['a known value', 'the key gluon-known-token-0123456789 works ', `the key ${R} works `],
    [
      'a bearer header',
      `curl -H "Authorization: Bearer ${F.bearer}" x `,
      `curl -H "Authorization: Bearer ${R}" x `,
    ],
    ['a generic key = value', `const apiKey = "${F.awsSecret}"; `, `const apiKey = "${R}"; `],
    ['an env line', `DB_PASSWORD=${F.password}\nnext `, `DB_PASSWORD=${R}\nnext `],
    ['a URL password', `postgres://app:${F.password}@db:5432/x `, `postgres://app:${R}@db:5432/x `],
  ];
  it.each(secrets)('never lets out %s, wherever the stream cuts it', (_name, text, expected) => {
    for (const [a, b] of halves(text)) {
      const { sent, total } = stream([a!, b!]);
      expect(total, `cut after ${a!.length}`).toBe(expected);
      for (const piece of sent)
        expect(piece).not.toContain(text.includes(F.ghp) ? F.ghp.slice(4, 12) : '\u0000');
    }
  });

  it('holds a private key until its END line, then sends it redacted', () => {
    const key = `${F.rsaKey}\n-----END RSA PRIVATE KEY-----`;
    const lines = `here:\n${key}\ndone `.split(/(?<=\n)/);
    const { sent, total } = stream(lines);
    expect(total).toBe(`here:\n${R}\ndone `);
    expect(sent.some((s) => /MII|[A-Za-z0-9+/]{40}/.test(s))).toBe(false);
  });

  it('streams plain prose as it comes, holding only the unfinished word', () => {
    expect(cutStream('Streaming this answer slowly, one pie', redact)).toEqual({
      send: 'Streaming this answer slowly, one ',
      keep: 'pie',
    });
  });

  it('holds from a cue word near the end', () => {
    expect(cutStream('Done. Now set the password to ', redact)).toEqual({
      send: 'Done. Now set the ',
      keep: 'password to ',
    });
  });

  it('sends a cue word once it is far enough back', () => {
    const text = `the password is set. ${'More prose follows here. '.repeat(12)}`;
    expect(cutStream(text, redact).keep).toBe('');
  });

  it('sends everything when the hold would grow past its limit', () => {
    const open = `-----BEGIN RSA PRIVATE KEY-----${`\n${'A'.repeat(64)}`.repeat(MAX_HOLD / 64 + 1)}`;
    expect(cutStream(open, redact)).toEqual({ send: R, keep: '' });
  });

  it('sends everything, redacted, at the end', () => {
    expect(cutStream(`token ${F.ghp}`, redact, true)).toEqual({ send: `token ${R}`, keep: '' });
  });
});
