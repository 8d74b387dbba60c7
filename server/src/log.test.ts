import { describe, expect, it } from 'vitest';
import { createRedactor, REDACTED } from './domain/redact.js';
import { FAKE } from './domain/testing/secret-fakes.js';
import { redactingLog } from './log.js';

describe('redactingLog', () => {
  const redact = createRedactor(['the-known-secret-value']);
  const calls: [string, unknown][] = [];
  const log = redactingLog((msg, err) => calls.push([msg, err]), redact);

  it('redacts the message, an error (message, stack, name and code kept) and a non-error', () => {
    const err = Object.assign(new TypeError(`bad the-known-secret-value`), { code: 'E_BAD' });
    log(`start ${FAKE.ghp}`);
    log('failed', err);
    log('odd', { toString: () => 'value the-known-secret-value' });
    expect(calls[0]).toEqual([`start ${REDACTED}`, undefined]);
    const [, copy] = calls[1] as [string, Error & { code: string }];
    expect(copy).toBeInstanceOf(Error);
    expect(copy.message).toBe(`bad ${REDACTED}`);
    expect(copy.name).toBe('TypeError');
    expect(copy.code).toBe('E_BAD');
    expect(copy.stack).toContain(`bad ${REDACTED}`);
    expect(copy.stack).not.toContain('the-known-secret-value');
    expect(calls[2]).toEqual(['odd', `value ${REDACTED}`]);
  });
});
