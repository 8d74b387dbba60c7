import { describe, expect, it } from 'vitest';
import { resourceFailure } from './errors.js';

/** An error as better-sqlite3, Node's fs or pg throw them: a message and a `code`. */
const failure = (code: string, message = code) => Object.assign(new Error(message), { code });

describe('resourceFailure: what the user can act on, from a disk or database error', () => {
  it.each([
    ['ENOSPC', 507, 'insufficient_storage'],
    ['EDQUOT', 507, 'insufficient_storage'],
    ['SQLITE_FULL', 507, 'insufficient_storage'],
    ['53100', 507, 'insufficient_storage'],
    ['SQLITE_BUSY', 503, 'database_busy'],
    ['SQLITE_BUSY_SNAPSHOT', 503, 'database_busy'],
    ['SQLITE_LOCKED', 503, 'database_busy'],
  ])('%s → %i %s', (code, status, answer) => {
    const mapped = resourceFailure(failure(code));
    expect([mapped?.status, mapped?.code]).toEqual([status, answer]);
    expect(mapped?.message).toMatch(/try again/);
  });

  it.each(['SQLITE_CONSTRAINT_UNIQUE', 'ENOENT', 'EACCES', '23505', ''])('%s is not one of them', (code) => {
    expect(resourceFailure(failure(code))).toBeNull();
  });

  it('a value that is not an error is not one of them', () => {
    expect(resourceFailure(null)).toBeNull();
    expect(resourceFailure('disk full')).toBeNull();
  });
});
