// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { ReviewCommentDto } from '../../../../shared/review-dto.js';
import type { DiffReview } from './DiffComments.js';
import { DiffView } from './DiffView.js';

afterEach(cleanup);

const DIFF = [
  'diff --git a/calc.js b/calc.js',
  '--- a/calc.js',
  '+++ b/calc.js',
  '@@ -1,2 +1,3 @@',
  ' function add(a, b) {',
  '-  return a+b;',
  '+  return a + b;',
  '+}',
  '',
].join('\n');

const comment = (patch: Partial<ReviewCommentDto>): ReviewCommentDto => ({
  id: 'c1',
  taskId: 't1',
  path: 'calc.js',
  line: 2,
  endLine: 2,
  code: '  return a + b;',
  body: 'Guard',
  outdated: false,
  commitSha: 'a'.repeat(40),
  reviewId: null,
  sentAt: null,
  addressedBy: [],
  createdAt: '2026-01-01T00:00:00.000Z',
  resolvedAt: null,
  ...patch,
});

function setup(comments: ReviewCommentDto[]) {
  const added: Array<[number, number, string]> = [];
  const review: DiffReview = {
    comments,
    add: async (line, endLine, body) => {
      added.push([line, endLine, body]);
      return true;
    },
    resolve: async () => true,
    remove: async () => true,
  };
  render(<DiffView diff={DIFF} review={review} />);
  return added;
}

describe('DiffView with review comments', () => {
  it('offers a comment button on every new-side line only, and none without a review', () => {
    setup([]);
    expect(
      screen.getAllByRole('button', { name: /^Comment on line/ }).map((b) => b.getAttribute('aria-label')),
    ).toEqual(['Comment on line 1', 'Comment on line 2', 'Comment on line 3']);
    cleanup();
    render(<DiffView diff={DIFF} />);
    expect(screen.queryAllByRole('button', { name: /^Comment on line/ })).toHaveLength(0);
  });

  it('writes a comment on a range picked with shift-click', async () => {
    const added = setup([]);
    fireEvent.click(screen.getByRole('button', { name: 'Comment on line 1' }));
    fireEvent.click(screen.getByRole('button', { name: 'Comment on line 3' }), { shiftKey: true });
    expect(screen.getByTestId('comment-form').textContent).toContain('lines 1–3');
    fireEvent.change(screen.getByLabelText('Comment'), { target: { value: 'Name it sum' } });
    fireEvent.click(screen.getByRole('button', { name: 'Add comment' }));
    await screen.findByRole('button', { name: 'Comment on line 1' });
    expect(added).toEqual([[1, 3, 'Name it sum']]);
  });

  it('puts a comment under its line, and outdated or off-diff ones above the diff', () => {
    setup([
      comment({ id: 'here', body: 'On line 2' }),
      comment({ id: 'gone', body: 'Was here', outdated: true, reviewId: 'r1' }),
      comment({ id: 'far', body: 'Far away', line: 40, endLine: 40 }),
    ]);
    const above = screen.getByTestId('unplaced-comments');
    expect(above.textContent).toContain('Was here');
    expect(above.textContent).toContain('outdated');
    expect(above.textContent).toContain('Far away');
    expect(above.textContent).not.toContain('On line 2');
    const row = screen.getByText('On line 2').closest('tr')!;
    expect(row.previousElementSibling!.textContent).toContain('return a + b;');
  });
});
