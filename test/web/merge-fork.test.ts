/**
 * Merge and Fork clicked in a real Chromium against a real server (real Claude Code, scripted fake API,
 * real git): Merge lands a task in review on main and says so; Fork, with a prompt, opens the new task,
 * whose run continues the source's session on a branch from its tip; History links the two both ways.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { git, settled, startGluon, waitForTask, type Gluon } from '../e2e/harness.js';
import { ensureWebBuilt, launchChromium, screenshot, type Browser } from './browser.js';

describe('Merge and Fork in Chromium', () => {
  let g: Gluon;
  let browser: Browser;
  let page: Page;

  const inReview = async (prompt: string) => {
    const t = await g.client.createTask({ project: 'sample', prompt });
    expect((await waitForTask(g.client, t.id, settled, 'the run', 90_000)).status).toBe('review');
    return t.id;
  };

  beforeAll(async () => {
    await ensureWebBuilt();
    g = await startGluon();
    // Without a remote, main is the base itself: Gluon moves it only while no checkout has it checked out.
    await git(g.repo, 'checkout', '-q', '--detach');
    browser = await launchChromium();
    page = await browser.context.newPage();
    await page.goto(`${g.server.url}/#token=${g.server.token}`);
    await page.getByTestId('board').waitFor();
  });
  afterAll(async () => {
    await browser?.close();
    await g?.close();
  });

  it('Merge lands the task on main and says how', async () => {
    const id = await inReview('[[scenario:write-file path=merged.txt content=landed]] Land me');
    await page.goto(`${g.server.url}/tasks/${id}`);
    await page.getByRole('button', { name: 'Merge', exact: true }).click();
    await page.getByText(/^Merged: merged into main as [0-9a-f]{7} \(fast-forward\)$/).waitFor();
    await screenshot(page, 'merge-clicked');
    expect(await git(g.repo, 'show', 'main:merged.txt')).toBe('landed');
    expect((await g.client.getTask(id)).status).toBe('done');
  });

  it('Fork opens the new task; it continues the session from the tip; History links both ways', async () => {
    const src = await inReview('[[scenario:reviewed path=a.txt content=first]] Write a');
    await page.goto(`${g.server.url}/tasks/${src}`);
    await page.getByRole('button', { name: 'Fork', exact: true }).click();
    await page.getByLabel('Fork prompt').fill('Try another way');
    await page.getByRole('button', { name: 'Start fork' }).click();
    await page.waitForURL((url) => /^\/tasks\/[a-z0-9]+$/.test(url.pathname) && !url.pathname.endsWith(src));
    const fork = new URL(page.url()).pathname.split('/').pop()!;
    const done = await waitForTask(g.client, fork, settled, 'the fork', 90_000);
    expect(done).toMatchObject({ status: 'review', forkedFrom: src });
    expect(await git(g.repo, 'show', `${done.branch}:a.txt`)).toBe('first');
    expect(await git(g.repo, 'show', `${done.branch}:review-feedback.md`)).toBe('Try another way');

    await page.getByRole('tab', { name: 'History' }).click();
    await page
      .getByTestId('task-forks')
      .filter({ hasText: `Forked from ${src}` })
      .waitFor();
    await screenshot(page, 'fork-history');
    await page.getByTestId('task-forks').getByRole('link', { name: src }).click();
    await page.waitForURL((url) => url.pathname === `/tasks/${src}`);
    await page.getByRole('tab', { name: 'History' }).click();
    await page
      .getByTestId('task-forks')
      .filter({ hasText: `Forked as ${fork}` })
      .waitFor();
  });
});
