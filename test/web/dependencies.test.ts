/**
 * Work that waits for other work, in a real Chromium against a real server (real Claude Code, scripted
 * fake API): the new task dialog's "Waits for" (and "Start from" its branch) makes a task that stays
 * queued and shows why on its card; a queued card dragged onto another waits for it; a drag that would
 * close a cycle is refused with the reason in a toast. One slot, held by a silent agent, keeps the others
 * queued. Screenshots go to test-artifacts/screenshots.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TaskDto } from '../../shared/api.js';
import { startGluon, waitForTask, type Gluon } from '../e2e/harness.js';
import { ensureWebBuilt, launchChromium, screenshot, type Browser } from './browser.js';

describe('dependencies in the dialog and by dragging, in Chromium', () => {
  let g: Gluon;
  let browser: Browser;
  let page: Page;
  let holder: TaskDto;
  let first: TaskDto;
  let second: TaskDto;

  const card = (id: string) => page.locator(`[data-column="queued"] [data-task-id="${id}"]`);
  /** Drags one card onto another with the mouse, in small steps as a hand would. */
  async function drag(fromId: string, ontoId: string): Promise<void> {
    const from = (await card(fromId).boundingBox())!;
    const to = (await card(ontoId).boundingBox())!;
    await page.mouse.move(from.x + from.width / 2, from.y + from.height / 2);
    await page.mouse.down();
    for (let i = 1; i <= 12; i += 1)
      await page.mouse.move(
        from.x + from.width / 2 + ((to.x - from.x) * i) / 12,
        from.y + from.height / 2 + ((to.y - from.y) * i) / 12,
      );
    await page.mouse.up();
  }

  beforeAll(async () => {
    await ensureWebBuilt();
    g = await startGluon({ maxConcurrentTasks: 1 });
    holder = await g.client.createTask({
      project: 'sample',
      prompt: '[[scenario:silent ms=120000]] Hold the slot',
    });
    await waitForTask(g.client, holder.id, (t) => t.status === 'running', 'the holder to run');
    first = await g.client.createTask({ project: 'sample', title: 'Build the API', prompt: 'Build the API' });
    second = await g.client.createTask({
      project: 'sample',
      title: 'Write the docs',
      prompt: 'Write the docs',
    });
    browser = await launchChromium();
    page = await browser.context.newPage();
    await page.goto(`${g.server.url}/#token=${g.server.token}`);
    await page.getByTestId('board').waitFor();
    await card(second.id).waitFor();
  }, 120_000);
  afterAll(async () => {
    await g?.client.cancel(holder.id).catch(() => undefined);
    await browser?.close();
    await g?.close();
  });

  it('creates a task that waits for another and starts from its branch, from the dialog', async () => {
    await page.keyboard.press('n');
    await page.getByLabel('Prompt').fill('Use the API');
    const waits = page.getByTestId('waits-for');
    await waits.getByRole('checkbox', { name: /Build the API/ }).check();
    await page.getByLabel('Start from').selectOption(first.id);
    await screenshot(page, 'new-task-waits-for');
    await page.getByLabel('Prompt').press('Control+Enter');
    const run = page.getByTestId('run-view');
    await run.waitFor();
    const id = (await run.getAttribute('data-task-id'))!;
    const created = await g.client.getTask(id);
    expect(created.waitsFor?.map((w) => w.id)).toEqual([first.id]);
    expect(created.baseBranch).toBe(`gluon-task/${first.id}`);
    expect(created.blocked).toBe(`waiting for “Build the API” (${first.id.slice(0, 8)})`);
    await page.getByRole('button', { name: 'Close' }).click();
    await expect
      .poll(() => card(id).getByTestId('card-blocked').textContent())
      .toContain('waiting for “Build the API”');
  });

  it('makes a queued card wait for the card it is dropped onto', async () => {
    await drag(second.id, first.id);
    await page.getByRole('status').filter({ hasText: 'Write the docs waits for Build the API' }).waitFor();
    await expect
      .poll(async () => (await g.client.getTask(second.id)).waitsFor?.map((w) => w.id))
      .toEqual([first.id]);
    // The board hears of it live: the card says what it waits for.
    await card(second.id)
      .getByTestId('card-blocked')
      .filter({ hasText: `waiting for “Build the API” (${first.id.slice(0, 8)})` })
      .waitFor({ timeout: 10_000 });
    await screenshot(page, 'board-drag-to-depend');
  });

  it('refuses a drop that would close a cycle, saying so in a toast', async () => {
    await drag(first.id, second.id);
    const toast = page.getByRole('alert').filter({ hasText: 'that would make a cycle' });
    await toast.waitFor();
    expect(await toast.textContent()).toContain(`${first.id} → ${second.id} → ${first.id}`);
    expect((await g.client.getTask(first.id)).waitsFor ?? []).toEqual([]);
  });
});
