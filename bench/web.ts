/// <reference lib="dom" />
/**
 * (d) The web cockpit in Chromium: the board with 2,000 tasks and the Output tab with 100,000 events —
 * time to interactive, and frame times while the page keeps receiving live updates. Each is printed next
 * to the same page with (almost) nothing in it, measured in the same run. Agents here are instant
 * stand-ins (no Claude Code): what is measured is the browser, not the model.
 */
import { mkdirSync } from 'node:fs';
import type { Page } from 'playwright-core';
import type { NewEvent } from '../shared/events.js';
import type { Agent, AgentOutcome } from '../server/src/runner/agent.js';
import { startServer, type RunningServer } from '../server/src/server.js';
import { createClient, type GluonClient } from '../shared/client.js';
import { makeRepo, tempDir } from '../test/e2e/harness.js';
import { ensureWebBuilt, launchChromium } from '../test/web/browser.js';
import { ms, percentile, report } from './stats.js';

/** An agent that finishes at once with a small cost: tasks flow through the board without a model. */
const instantAgent: Agent = {
  name: 'instant',
  capabilities: { approvals: true, questions: true, planMode: true, images: true },
  start() {
    const outcome: AgentOutcome = {
      ok: true,
      stoppedBy: null,
      sessionId: null,
      finalText: 'Done.',
      costUsd: 0.001 + Math.random() * 0.01,
      sessionTotalUsd: null,
      byModel: [],
      reconciled: true,
      error: null,
      permissionDenials: 0,
    };
    return { done: Promise.resolve(outcome), stop() {} };
  },
};

async function startBenchServer(): Promise<{ server: RunningServer; client: GluonClient }> {
  const home = tempDir('bench-web');
  mkdirSync(home, { recursive: true });
  const server = await startServer({
    home,
    agent: instantAgent,
    config: { port: 0, maxConcurrentTasks: 64 },
    env: { PATH: process.env.PATH },
    log: () => {},
  });
  const client = createClient({ baseUrl: server.url, token: server.token });
  await client.addProject({ path: await makeRepo(), name: 'bench' });
  return { server, client };
}

async function createTasks(client: GluonClient, n: number, label: string): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < n; i += 50) {
    const batch = Array.from({ length: Math.min(50, n - i) }, (_, k) =>
      client.createTask({
        project: 'bench',
        prompt: `${label} ${i + k}: tidy module ${i + k}`,
        worktree: false,
      }),
    );
    ids.push(...(await Promise.all(batch)).map((t) => t.id));
  }
  return ids;
}

async function settledCount(client: GluonClient): Promise<number> {
  return (await client.listTasks()).filter((t) => t.status !== 'queued' && t.status !== 'running').length;
}

/** Starts recording frame intervals in the page (requestAnimationFrame deltas). Scripts are strings: this
 * file is type-checked without the DOM library. */
const startFrames = (page: Page) =>
  page.evaluate(`(() => {
    window.__frames = [];
    window.__measuring = true;
    let last = performance.now();
    const tick = (t) => {
      window.__frames.push(t - last);
      last = t;
      if (window.__measuring) requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  })()`);

const stopFrames = (page: Page) =>
  page.evaluate<number[]>('(window.__measuring = false, window.__frames.slice(1))');

/** Milliseconds from navigation start until `ready()` holds in the page. */
async function timeToInteractive(page: Page, url: string, ready: string): Promise<number> {
  await page.goto(url);
  return waitUntil(page, ready);
}

/**
 * Polls `ready` (a script) until it holds, then answers the page's clock. Polled from here rather than with
 * waitForFunction, which evaluates strings inside the page, where the CSP forbids eval.
 */
async function waitUntil(page: Page, ready: string, timeoutMs = 120_000): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const at = await page.evaluate<number | null>(`(${ready}) ? performance.now() : null`);
    if (at !== null) return at;
    await new Promise((r) => setTimeout(r, 16));
  }
  throw new Error(`the page did not get ready: ${ready}`);
}

function toolEvents(from: number, n: number): NewEvent[] {
  const out: NewEvent[] = [];
  for (let i = from; i < from + n; i += 1) {
    if (i % 3 === 0)
      out.push({
        type: 'tool.called',
        data: {
          toolUseId: `u${i}`,
          name: i % 2 ? 'Bash' : 'Read',
          input: { command: `npm test -- part ${i}` },
        },
      });
    else if (i % 3 === 1)
      out.push({
        type: 'tool.result',
        data: { toolUseId: `u${i - 1}`, output: `ok ${i}\n`.repeat(1 + (i % 4)), isError: false },
      });
    else
      out.push({
        type: 'agent.text',
        data: { messageId: `m${i}`, text: `Step ${i}: the **tests** pass; next I look at \`module-${i}\`.` },
      });
  }
  return out;
}

export interface WebFigures {
  boardTti: number;
  boardTtiEmpty: number;
  boardFrameP95: number;
  outputTti: number;
  outputTtiEmpty: number;
  outputFrameP95: number;
  outputFrameMax: number;
}

/** Runs the measurements (about a minute on two cores). */
export async function measureWeb(tasks = 2_000, events = 100_000): Promise<WebFigures> {
  await ensureWebBuilt();
  const { server, client } = await startBenchServer();
  const browser = await launchChromium();
  try {
    await browser.context.addInitScript(
      `localStorage.setItem('gluon.token', ${JSON.stringify(server.token)})`,
    );
    const page = await browser.context.newPage();
    const boardReady = (n: number) =>
      `document.querySelector('.toolbar .hint')?.textContent === '${n} tasks'`;

    // Board: empty first (baseline), then with `tasks` tasks spread over the columns.
    const boardTtiEmpty = await timeToInteractive(page, `${server.url}/`, boardReady(0));
    const ids = await createTasks(client, tasks, 'Task');
    while ((await settledCount(client)) < tasks) await new Promise((r) => setTimeout(r, 250));
    await Promise.all(ids.slice(0, tasks / 4).map((id) => client.move(id, 'done')));
    await Promise.all(ids.slice(tasks / 4, tasks / 4 + tasks / 20).map((id) => client.cancel(id)));
    const boardTti = await timeToInteractive(
      page,
      `${server.url}/`,
      `${boardReady(tasks)} && document.querySelectorAll('.card').length > 0`,
    );
    await startFrames(page);
    await createTasks(client, 100, 'Live'); // 100 tasks flow queue → running → review while we watch
    while ((await settledCount(client)) < tasks + 100) await new Promise((r) => setTimeout(r, 100));
    await new Promise((r) => setTimeout(r, 500));
    const boardFrames = (await stopFrames(page)).sort((a, b) => a - b);

    // Output: a task with `events` events, then a live stream of 2,000 more at about 1,000 per second.
    const [empty] = await createTasks(client, 1, 'Empty');
    const [busy] = await createTasks(client, 1, 'Busy');
    for (let i = 0; i < events; i += 1000) await server.services.events.emit(busy!, toolEvents(i, 1000));
    const rows = (n: number) => Math.floor((n * 2) / 3);
    const outputReady = (n: number) =>
      `(() => { const t = document.querySelector('[data-testid="output-tab"] .stream-count')?.textContent ?? ''; return !t.includes('loading') && Number(t.split(' ')[0].replace(/,/g, '')) >= ${n}; })()`;
    const outputTtiEmpty = await timeToInteractive(page, `${server.url}/tasks/${empty}`, outputReady(1));
    const outputTti = await timeToInteractive(page, `${server.url}/tasks/${busy}`, outputReady(rows(events)));
    await startFrames(page);
    for (let i = events; i < events + 2000; i += 10) {
      await server.services.events.emit(busy!, toolEvents(i, 10));
      await new Promise((r) => setTimeout(r, 10));
    }
    await waitUntil(page, outputReady(rows(events + 2000)), 60_000);
    const outputFrames = (await stopFrames(page)).sort((a, b) => a - b);
    return {
      boardTti,
      boardTtiEmpty,
      boardFrameP95: percentile(boardFrames, 95),
      outputTti,
      outputTtiEmpty,
      outputFrameP95: percentile(outputFrames, 95),
      outputFrameMax: outputFrames.at(-1) ?? NaN,
    };
  } finally {
    await browser.close();
    await server.close();
  }
}

/** Measures and prints the web figures in the benchmark's format. */
export async function reportWeb(): Promise<void> {
  const w = await measureWeb();
  report(
    'board, 2,000 tasks: time to interactive',
    ms(w.boardTti),
    `${ms(w.boardTtiEmpty)} empty`,
    '< 3,000 ms',
    w.boardTti < 3000,
  );
  report(
    'board, 2,000 tasks: frame p95 while live',
    ms(w.boardFrameP95),
    '16.7 ms (60 fps)',
    '< 50 ms',
    w.boardFrameP95 < 50,
  );
  report(
    'Output, 100,000 events: time to interactive',
    ms(w.outputTti),
    `${ms(w.outputTtiEmpty)} empty`,
    '< 5,000 ms',
    w.outputTti < 5000,
  );
  report(
    'Output, 100,000 events: frame p95 streaming',
    ms(w.outputFrameP95),
    '16.7 ms (60 fps)',
    `< 50 ms (max was ${ms(w.outputFrameMax)})`,
    w.outputFrameP95 < 50,
  );
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await reportWeb();
  process.exit(0);
}
