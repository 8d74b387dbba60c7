import { describe, expect, it } from 'vitest';
import { createSigner } from '../../../fakes/discord/signer.js';
import { createVerifier } from './verify.js';

const signer = createSigner();
const NOW = 1_750_000_000_000;
const ts = String(NOW / 1000);
const body = '{"type":1,"id":"42"}';

describe('the Discord signature check', () => {
  const verify = () => createVerifier({ publicKey: signer.publicKeyHex, now: () => NOW });

  it('accepts a valid signature once, and refuses its replay', async () => {
    const check = verify();
    const signature = signer.sign(body, ts);
    expect(await check(Buffer.from(body), signature, ts)).toEqual({ ok: true });
    expect(await check(Buffer.from(body), signature, ts)).toEqual({ ok: false, reason: 'replayed' });
  });

  it.each([
    ['no signature', undefined, ts, 'missing'],
    ['no timestamp', 'ab'.repeat(64), undefined, 'missing'],
    ['a timestamp that is not a number', 'ab'.repeat(64), 'yesterday', 'invalid'],
    ['a signature that is not hex', 'zz'.repeat(64), ts, 'invalid'],
    ['a signature of other bytes', signer.sign(`${body} `, ts), ts, 'invalid'],
    ['a signature of another timestamp', signer.sign(body, String(NOW / 1000 - 1)), ts, 'invalid'],
    ['an old timestamp', signer.sign(body, String(NOW / 1000 - 301)), String(NOW / 1000 - 301), 'stale'],
    ['a future timestamp', signer.sign(body, String(NOW / 1000 + 301)), String(NOW / 1000 + 301), 'stale'],
  ])('refuses %s', async (_what, signature, timestamp, reason) => {
    expect(await verify()(Buffer.from(body), signature, timestamp)).toEqual({ ok: false, reason });
  });

  it('refuses a signature made with another key', async () => {
    const other = createSigner();
    expect(await verify()(Buffer.from(body), other.sign(body, ts), ts)).toEqual({
      ok: false,
      reason: 'invalid',
    });
  });
});
