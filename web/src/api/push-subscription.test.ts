import { describe, expect, it } from 'vitest';
import { keyBytes } from './push-subscription.js';

describe('push subscription', () => {
  it('turns a base64url VAPID key into its 65 bytes, padding or not', () => {
    const bytes = new Uint8Array(65).map((_, i) => (i * 37 + 4) % 256);
    const b64url = Buffer.from(bytes).toString('base64url');
    expect([...keyBytes(b64url)]).toEqual([...bytes]);
    expect(keyBytes(b64url)[0]).toBe(4);
  });
});
