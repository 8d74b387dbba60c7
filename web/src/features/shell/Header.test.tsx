// @vitest-environment happy-dom
import { cleanup, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { RoleName } from '../../../../shared/team.js';
import { Header } from './Header.js';

afterEach(cleanup);

const header = (roles: Record<string, RoleName> | null) =>
  render(
    <Header
      route={{ page: 'board', taskId: null }}
      me={roles && { roles }}
      notifications="granted"
      onEnableNotifications={() => {}}
      onLogout={() => {}}
    />,
  );

describe('Header: the Audit link', () => {
  it.each([
    [{ '*': 'admin' }, true],
    [{ ws1: 'viewer', ws2: 'admin' }, false],
    [{ '*': 'admin', ws1: 'viewer' }, true],
    [{ '*': 'operator' }, false],
    [{ ws1: 'viewer' }, false],
    [null, false],
  ] as const)('roles %j → shown: %s', (roles, shown) => {
    header(roles);
    expect(screen.queryByRole('link', { name: 'Audit' }) !== null).toBe(shown);
    expect(screen.getByRole('link', { name: 'Costs' })).toBeTruthy();
  });
});
