/**
 * The web cockpit in a real Chromium against a real server (real Claude Code, scripted fake API):
 * the new task dialog with a slash command and an @file, the live Output, the card moving to Review by
 * itself, Files, a drag to Done, answering a question from the modal, the Costs page, the board on a
 * 390 px screen, and the page going offline and coming back. Screenshots go to test-artifacts/screenshots.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { git, settled, startGluon, waitForTask, type Gluon } from '../e2e/harness.js';
import { ensureWebBuilt, launchChromium, screenshot, type Browser } from './browser.js';

describe('the web cockpit in Chromium', () => {
  let g: Gluon;
  let browser: Browser;
  let page: Page;
  let createdId = '';
  const cspReports: string[] = [];

  beforeAll(async () => {
    await ensureWebBuilt();
    g = await startGluon();
    // A project slash command whose text picks the fake model's script: that Claude Code really expanded
    // it shows in the file the agent writes.
    const commands = path.join(g.repo, '.claude', 'commands');
    await git(g.repo, 'checkout', '-q', 'main');
    mkdirSync(commands, { recursive: true });
    writeFileSync(
      path.join(commands, 'notes.md'),
      '---\ndescription: Write notes\n---\n[[scenario:echo-prompt path=notes-out.md]] Command body with: $ARGUMENTS\n',
    );
    await git(g.repo, 'add', '-A');
    await git(g.repo, 'commit', '-q', '-m', 'add a command');
    // Project commands load only for a project that trusts its repository's own .claude settings.
    await g.client.updateProject('sample', { trustRepoSettings: true });
    browser = await launchChromium();
    page = await browser.context.newPage();
    // Every CSP violation, whether the page reports it as an event or Chromium only logs it.
    page.on('console', (m) => {
      if (/Content Security Policy|unsafe-eval/i.test(m.text())) cspReports.push(m.text());
    });
    await page.exposeFunction('reportCsp', (text: string) => cspReports.push(text));
    await page.addInitScript(
      "document.addEventListener('securitypolicyviolation', (e) => reportCsp(e.violatedDirective + ' ' + e.blockedURI))",
    );
    await page.goto(`${g.server.url}/#token=${g.server.token}`);
  });
  afterAll(async () => {
    await browser?.close();
    await g?.close();
  });

  it('logs in from the #token link and forgets the fragment', async () => {
    await page.getByTestId('board').waitFor();
    expect(page.url()).not.toContain('token');
    expect(await page.evaluate<string | null>("localStorage.getItem('gluon.token')")).toBe(g.server.token);
    await screenshot(page, 'board-empty');
  });

  it('creates a task with a slash command and an @file; its tool calls stream into Output; it moves to Review by itself', async () => {
    await page.keyboard.press('n');
    const prompt = page.getByLabel('Prompt');
    await prompt.pressSequentially('/no');
    await page.getByRole('option', { name: /\/notes/ }).waitFor();
    await prompt.press('Enter');
    // Type on only once the picked command is in the box (on a busy machine the pick can land late).
    await expect.poll(() => prompt.inputValue()).toBe('/notes ');
    await prompt.pressSequentially('@READ');
    await page.getByRole('option').filter({ hasText: 'README.md' }).waitFor();
    await prompt.press('Enter');
    expect(await prompt.inputValue()).toBe('/notes @README.md ');
    await screenshot(page, 'new-task-dialog');
    await prompt.press('Control+Enter');

    const run = page.getByTestId('run-view');
    await run.waitFor();
    createdId = (await run.getAttribute('data-task-id'))!;
    await page.locator('.row-tool[data-tool="Write"]').first().waitFor({ timeout: 60_000 });
    await screenshot(page, 'run-output');
    await page.locator('[data-testid="run-view"][data-status="review"]').waitFor({ timeout: 60_000 });

    const task = await g.client.getTask(createdId);
    expect(task.prompt).toBe('/notes @README.md');
    const written = readFileSync(path.join(task.worktreePath!, 'notes-out.md'), 'utf8');
    expect(written).toContain('Command body with: @README.md');

    await page.locator('.row-tool[data-tool="Write"] .row-tool-head').first().click();
    await expect.poll(() => page.locator('.row-tool-body').first().textContent()).toContain('notes-out.md');
    await page.getByRole('button', { name: 'Close' }).click();
    await page.locator(`[data-column="review"] [data-task-id="${createdId}"]`).waitFor();
  });

  it('loads and creates a task without a single CSP violation (zod runs without eval)', () => {
    expect(cspReports).toEqual([]);
  });

  it('shows the changed files and their diff', async () => {
    await page.locator(`[data-task-id="${createdId}"]`).first().click();
    await page.getByRole('tab', { name: 'Files' }).click();
    const diff = page.getByTestId('diff');
    await diff.waitFor();
    expect(await diff.textContent()).toContain('Command body with: @README.md');
    await screenshot(page, 'run-files');
    await page.getByRole('button', { name: 'Close' }).click();
  });

  it('drags the card from Review to Done', async () => {
    const card = page.locator(`[data-column="review"] [data-task-id="${createdId}"]`);
    const target = page.locator('[data-column="done"]');
    const from = (await card.boundingBox())!;
    const to = (await target.boundingBox())!;
    await page.mouse.move(from.x + from.width / 2, from.y + from.height / 2);
    await page.mouse.down();
    for (let i = 1; i <= 10; i += 1)
      await page.mouse.move(
        from.x + ((to.x + to.width / 2 - from.x) * i) / 10,
        from.y + ((to.y + 60 - from.y) * i) / 10,
      );
    await page.mouse.up();
    await waitForTask(g.client, createdId, (t) => t.status === 'done', 'the task to be done');
    await page.locator(`[data-column="done"] [data-task-id="${createdId}"]`).waitFor();
  });

  it('refuses a move that makes no sense, with a message', async () => {
    const card = page.locator(`[data-column="done"] [data-task-id="${createdId}"]`);
    const target = page.locator('[data-column="queued"]');
    const from = (await card.boundingBox())!;
    const to = (await target.boundingBox())!;
    await page.mouse.move(from.x + 20, from.y + 10);
    await page.mouse.down();
    for (let i = 1; i <= 10; i += 1)
      await page.mouse.move(
        from.x + ((to.x + 40 - from.x) * i) / 10,
        from.y + ((to.y + 80 - from.y) * i) / 10,
      );
    await page.mouse.up();
    await page.getByRole('alert').filter({ hasText: 'cannot move from Done to Queue' }).waitFor();
    expect((await g.client.getTask(createdId)).status).toBe('done');
  });

  it('answers a question from the modal', async () => {
    const task = await g.client.createTask({
      project: 'sample',
      prompt: '[[scenario:question]] pick a colour',
    });
    await page.goto(`${g.server.url}/?task=${task.id}`);
    const panel = page.getByTestId('question-panel');
    await panel.waitFor({ timeout: 60_000 });
    expect(await panel.textContent()).toContain('Which color should I use?');
    await screenshot(page, 'run-question');
    await panel.getByRole('button', { name: 'blue' }).click();
    const done = await waitForTask(g.client, task.id, settled, 'the answered task to finish');
    expect(done.status).toBe('review');
    expect(readFileSync(path.join(done.worktreePath!, 'answer.txt'), 'utf8')).toContain('blue');
    await page.locator('[data-testid="run-view"][data-status="review"]').waitFor();
  });

  it("shows the task's cost on the Costs page", async () => {
    const task = await g.client.getTask(createdId);
    expect(task.costUsd).toBeGreaterThan(0);
    await page.goto(`${g.server.url}/costs`);
    await page.getByTestId('costs-page').waitFor();
    await expect.poll(() => page.getByTestId('cost-today').textContent()).not.toBe('$0.00');
    await page
      .getByTestId('cost-tree')
      .getByRole('button', { name: /sample/ })
      .click();
    await page.getByTestId('cost-tree').getByText(task.title).waitFor();
    await screenshot(page, 'costs');
  });

  it('fits a 390 px wide phone: one column at a time, chosen with tabs', async () => {
    const phone = await browser.context.newPage();
    await phone.setViewportSize({ width: 390, height: 844 });
    await phone.goto(`${g.server.url}/`);
    await phone.getByTestId('board').waitFor();
    const visible = await phone.locator('.column:visible').count();
    expect(visible).toBe(1);
    await phone.getByRole('tab', { name: /Done/ }).click();
    await phone.locator(`[data-column="done"] [data-task-id="${createdId}"]`).waitFor();
    const overflow = await phone.evaluate<number>('document.documentElement.scrollWidth - window.innerWidth');
    expect(overflow).toBeLessThanOrEqual(0);
    await screenshot(phone, 'board-phone');
    await phone.close();
  });

  it('goes offline (the shell still loads, a banner says so) and reconnects by itself', async () => {
    await page.goto(`${g.server.url}/`);
    await page.getByTestId('board').waitFor();
    await page.evaluate('navigator.serviceWorker.ready.then(() => true)');
    // The first load is not yet controlled by the worker; the reload is.
    await page.reload();
    await page.getByTestId('board').waitFor();
    expect(await page.evaluate<boolean>('navigator.serviceWorker.controller !== null')).toBe(true);
    await browser.context.setOffline(true);
    await page.getByTestId('offline-banner').waitFor();
    await page.reload();
    await page.getByTestId('offline-banner').waitFor();
    await screenshot(page, 'offline');
    await browser.context.setOffline(false);
    await page.getByTestId('offline-banner').waitFor({ state: 'detached', timeout: 30_000 });
    await page.locator(`[data-task-id="${createdId}"]`).first().waitFor();
  });
});
