import { describe, expect, it } from 'vitest';
import { holdsEverywhere, roleIn, strongestRole, visibleWorkspaces, type Role } from './actor.js';

const roles = (r: Record<string, Role>) => ({ roles: r });

describe('actor', () => {
  it.each([
    [{ '*': 'viewer' }, 'a', 'viewer'],
    [{ a: 'admin', '*': 'viewer' }, 'a', 'admin'],
    [{ a: 'viewer', '*': 'operator' }, 'a', 'operator'],
    [{ a: 'operator' }, 'b', null],
    [{}, 'a', null],
  ] as const)('roleIn(%j, %s) is %s', (r, ws, expected) => {
    expect(roleIn(roles(r), ws)).toBe(expected);
  });

  it('strongestRole is the strongest of any workspace', () => {
    expect(strongestRole(roles({ a: 'viewer', b: 'admin' }))).toBe('admin');
    expect(strongestRole(roles({}))).toBeNull();
  });

  it.each([
    [{ '*': 'viewer' }, null],
    [{ '*': 'admin', a: 'viewer' }, null],
    [{ b: 'operator', a: 'viewer' }, ['a', 'b']],
    [{}, []],
  ] as const)('visibleWorkspaces(%j) is %j', (r, expected) => {
    expect(visibleWorkspaces(roles(r))).toEqual(expected);
  });

  it.each([
    [{ '*': 'admin' }, 'admin', true],
    [{ '*': 'operator' }, 'admin', false],
    [{ a: 'admin' }, 'admin', false],
    [{ a: 'admin', '*': 'viewer' }, 'viewer', true],
    [{ a: 'admin', '*': 'viewer' }, 'operator', false],
  ] as const)('holdsEverywhere(%j, %s) is %s', (r, min, expected) => {
    expect(holdsEverywhere(roles(r), min)).toBe(expected);
  });
});
