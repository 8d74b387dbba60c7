import { describe, expect, it } from 'vitest';
import { isTokenShaped, takeTokenFromHash } from './token.js';

describe('token from a link', () => {
  const token = 'a'.repeat(64);
  it('takes #token=… and removes it from the address bar', () => {
    const calls: string[] = [];
    const got = takeTokenFromHash(
      { hash: `#token=${token}`, pathname: '/costs', search: '?x=1' },
      { replaceState: (_s, _t, url) => calls.push(String(url)) },
    );
    expect(got).toBe(token);
    expect(calls).toEqual(['/costs?x=1']);
  });

  it('leaves other fragments alone and refuses junk', () => {
    expect(
      takeTokenFromHash({ hash: '#section', pathname: '/', search: '' }, { replaceState: () => {} }),
    ).toBeNull();
    expect(
      takeTokenFromHash({ hash: '#token=<script>', pathname: '/', search: '' }, { replaceState: () => {} }),
    ).toBeNull();
    expect(isTokenShaped('short')).toBe(false);
  });
});
