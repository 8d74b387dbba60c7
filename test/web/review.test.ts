/**
 * The review loop in a real Chromium against a real server (real Claude Code, scripted fake API): in the
 * Files tab a reviewer comments on one diff line and on a range (shift-click), sees the pending review,
 * sends it; the agent resumes with the comments anchored and changes the line; the comment then shows as
 * sent, outdated and addressed, and is resolved with a click. Screenshots go to test-artifacts/screenshots.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { git, settled, startGluon, waitForTask, type Gluon } from '../e2e/harness.js';
import { ensureWebBuilt, launchChromium, screenshot, type Browser } from './browser.js';

const SOURCE = 'function add(a, b) {\\n  return a + b;\\n}\\n';
const FIXED = 'function add(a, b) {\\n  return Number(a) + Number(b);\\n}\\n';

describe('review comments in Chromium', () => {
  let g: Gluon;
  let browser: Browser;
  let page: Page;
  let id = '';

  beforeAll(async () => {
    await ensureWebBuilt();
    g = await startGluon();
    const task = await g.client.createTask({
      project: 'sample',
      prompt: `[[scenario:reviewed path=calc.js content="${SOURCE}" fix="${FIXED}"]] Write an adder`,
    });
    id = task.id;
    expect((await waitForTask(g.client, id, settled, 'the first run')).status).toBe('review');
    browser = await launchChromium();
    page = await browser.context.newPage();
    await page.goto(`${g.server.url}/#token=${g.server.token}`);
    await page.getByTestId('board').waitFor();
  });
  afterAll(async () => {
    await browser?.close();
    await g?.close();
  });

  it('comments on a line and on a range, and shows the pending review', async () => {
    await page.goto(`${g.server.url}/tasks/${id}`);
    await page.getByRole('tab', { name: 'Files' }).click();
    await page.getByTestId('diff').waitFor();

    await page.getByRole('button', { name: 'Comment on line 2' }).click();
    await page.getByLabel('Comment', { exact: true }).fill('Guard against strings');
    await page.getByRole('button', { name: 'Add comment' }).click();
    await page.getByTestId('review-comment').filter({ hasText: 'Guard against strings' }).waitFor();

    await page.getByRole('button', { name: 'Comment on line 1' }).click();
    await page.getByRole('button', { name: 'Comment on line 3' }).click({ modifiers: ['Shift'] });
    await page.getByTestId('comment-form').filter({ hasText: 'lines 1–3' }).waitFor();
    await page.getByLabel('Comment', { exact: true }).fill('Add a doc comment');
    await page.getByRole('button', { name: 'Add comment' }).click();
    await page.getByTestId('review-bar').filter({ hasText: '2 pending comments' }).waitFor();
    await screenshot(page, 'review-pending');
    const stored = await g.client.comments(id);
    expect(stored.map((c) => [c.line, c.endLine, c.body])).toEqual([
      [2, 2, 'Guard against strings'],
      [1, 3, 'Add a doc comment'],
    ]);
  });

  it('sends the review; the agent gets every comment anchored and its fix addresses one', async () => {
    const before = await g.client.getTask(id);
    await page.getByLabel('Review summary').fill('Two small things');
    await page.getByRole('button', { name: 'Send review' }).click();
    await page.getByText('Review sent to the agent').waitFor();
    await waitForTask(
      g.client,
      id,
      (t) => settled(t) && t.updatedAt !== before.updatedAt && t.status === 'review',
      'the review run',
      90_000,
    );
    const told = await git(g.repo, 'show', `gluon-task/${id}:review-feedback.md`);
    expect(told).toContain('Their summary:\nTwo small things');
    expect(told).toContain('2. calc.js:2\n```\n  return a + b;\n```\nGuard against strings');

    // The tab follows the task: the fixed line's comment is sent, outdated, addressed; the other is on the diff.
    const guard = page.getByTestId('review-comment').filter({ hasText: 'Guard against strings' });
    await expect.poll(() => guard.getAttribute('data-state'), { timeout: 30_000 }).toBe('sent');
    await expect
      .poll(() => guard.textContent(), { timeout: 15_000 })
      .toMatch(/outdated.*addressed in [0-9a-f]{7}/);
    expect(await page.getByTestId('review-bar').count()).toBe(0);
    await screenshot(page, 'review-sent');
    await guard.getByRole('button', { name: 'Resolve' }).click();
    await expect.poll(() => guard.getAttribute('data-state'), { timeout: 15_000 }).toBe('resolved');
    expect(
      (await g.client.comments(id)).find((c) => c.body === 'Guard against strings')!.resolvedAt,
    ).not.toBeNull();
  });
});
