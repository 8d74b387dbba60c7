import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createRedactor } from './domain/redact.js';
import { FAKE } from './domain/testing/secret-fakes.js';
import { jsonLog } from './json-log.js';
import { redactingLog } from './log.js';

function capture() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      done();
    },
  });
  return { lines, stream };
}

describe('JSON logs (pino)', () => {
  it('writes one JSON object per message, errors with their type and stack, secrets hidden', () => {
    const { lines, stream } = capture();
    const secret = 'server-secret-value-1234567';
    const log = redactingLog(jsonLog(stream), createRedactor([secret]));
    log(`started with ${secret}`);
    log(
      'a run failed',
      Object.assign(new Error(`spawn failed: GITHUB=${FAKE.ghp} and ${secret}`), { code: 'E1' }),
    );
    log('not an error', `plain ${FAKE.ghp}`);
    expect(lines).toHaveLength(3);
    const [info, error, plain] = lines.map((l) => JSON.parse(l));
    expect(info).toMatchObject({ level: 30, name: 'gluon', msg: expect.stringContaining('started with') });
    expect(typeof info.time).toBe('string');
    expect(error).toMatchObject({ level: 50, msg: 'a run failed', err: { type: 'Error', code: 'E1' } });
    expect(error.err.stack).toContain('spawn failed');
    expect(plain.level).toBe(50);
    const all = lines.join('\n');
    expect(all).not.toContain(secret);
    expect(all).not.toContain(FAKE.ghp);
  });

  it('censors credential fields of structured values', () => {
    const { lines, stream } = capture();
    const log = jsonLog(stream);
    const err = Object.assign(new Error('request failed'), {
      token: 'abc-should-not-show',
      password: 'hunter2-hidden',
    });
    log('with fields', err);
    const [line] = lines.map((l) => JSON.parse(l));
    expect(line.err.token).toBe('[REDACTED]');
    expect(JSON.stringify(line)).not.toContain('hunter2-hidden');
  });
});
