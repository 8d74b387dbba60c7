// @vitest-environment happy-dom
import { cleanup, fireEvent, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { AuditEntryDto } from '../../../shared/team.js';
import { csrfOf, sessionCredential } from '../api/session.js';
import { renderWithGluon } from '../testing/render.js';
import { AuditPage } from './AuditPage.js';

const entry = (seq: number, patch: Partial<AuditEntryDto> = {}): AuditEntryDto => ({
  seq,
  ts: '2026-12-04T23:00:00.000Z',
  user: 'ada',
  surface: 'cli',
  action: 'task.create',
  target: 'abcd1234',
  outcome: 'ok',
  detail: {},
  hash: 'h'.repeat(64),
  ...patch,
});

describe('the Audit page', () => {
  afterEach(cleanup);

  it('lists entries newest first, marks refusals, filters by user and shows the chain verdict', async () => {
    const audit = vi.fn(async (q: { user?: string } = {}) =>
      [
        entry(1),
        entry(2, { user: 'vic', surface: 'telegram', action: 'POST /api/tasks/x/cancel', outcome: 'denied' }),
      ].filter((e) => !q.user || e.user === q.user),
    );
    const verifyAudit = vi.fn(async () => ({
      ok: false as const,
      rows: 1,
      brokenAt: 2,
      reason: 'its content does not match its hash',
    }));
    renderWithGluon(<AuditPage />, { audit, verifyAudit });
    await waitFor(() => expect(screen.getAllByTestId('audit-row')).toHaveLength(2));
    const [first, second] = screen.getAllByTestId('audit-row');
    expect(first!.textContent).toContain('vic');
    expect(first!.className).toBe('denied');
    expect(second!.textContent).toContain('task.create');
    fireEvent.change(screen.getByLabelText('Filter by user'), { target: { value: 'ada' } });
    await waitFor(() => expect(screen.getAllByTestId('audit-row')).toHaveLength(1));
    expect(audit).toHaveBeenLastCalledWith({ user: 'ada', limit: 5000 });
    fireEvent.click(screen.getByText('Verify chain'));
    expect((await screen.findByTestId('audit-verdict')).textContent).toBe(
      'Broken at row 2: its content does not match its hash',
    );
  });

  it('keeps a session as its CSRF token only, told apart from a token', () => {
    expect(csrfOf(sessionCredential('abc'))).toBe('abc');
    expect(csrfOf('0123456789abcdef0123456789abcdef')).toBeNull();
  });
});
