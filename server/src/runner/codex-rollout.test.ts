import { appendFile, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { RolloutReader, findRolloutFile, totalFromLine } from './codex-rollout.js';

const THREAD = '01a242a7-4fa6-7d43-9685-65da69a8912c';
const tokenCount = (input: number, output: number) =>
  `${JSON.stringify({
    type: 'event_msg',
    payload: {
      type: 'token_count',
      info: {
        total_token_usage: { input_tokens: input, cached_input_tokens: 0, output_tokens: output },
        last_token_usage: { input_tokens: 1, output_tokens: 1 },
      },
    },
  })}\n`;

const dirs: string[] = [];
afterAll(async () => Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true }))));

async function home(): Promise<{ home: string; file: string }> {
  const dir = await mkdtemp(path.join(tmpdir(), 'gluon-rollout-'));
  dirs.push(dir);
  const day = path.join(dir, 'sessions', '2026', '12', '04');
  await mkdir(day, { recursive: true });
  return { home: dir, file: path.join(day, `rollout-2026-12-04T20-03-10-${THREAD}.jsonl`) };
}

describe('totalFromLine', () => {
  it('reads the running total of a token_count event and nothing else', () => {
    expect(totalFromLine(tokenCount(10, 2))).toMatchObject({ inputTokens: 10, outputTokens: 2 });
    expect(totalFromLine('{"type":"response_item","payload":{"type":"message"}}')).toBeNull();
    expect(totalFromLine('{"type":"event_msg","payload":{"type":"token_count","info":null}}')).toBeNull();
    expect(totalFromLine('{"token_count": broken')).toBeNull();
  });
});

describe('RolloutReader', () => {
  it('finds the thread’s file, starts after what it held, and reads lines as they complete', async () => {
    const { home: h, file } = await home();
    await writeFile(file, '{"type":"session_meta"}\n' + tokenCount(100, 10));
    expect(await findRolloutFile(h, THREAD)).toBe(file);
    expect(await findRolloutFile(h, 'other-thread')).toBeNull();
    const reader = new RolloutReader(h, THREAD);
    expect(await reader.prime()).toMatchObject({ inputTokens: 100 });
    const line = tokenCount(250, 30);
    await appendFile(file, line.slice(0, 20));
    expect(await reader.poll()).toBe(false);
    await appendFile(file, line.slice(20));
    expect(await reader.poll()).toBe(true);
    expect(reader.total).toMatchObject({ inputTokens: 250, outputTokens: 30 });
    expect(await reader.poll()).toBe(false);
  });

  it('waits for the thread id of a new thread, and for its file', async () => {
    const { home: h, file } = await home();
    const reader = new RolloutReader(h, null);
    expect(await reader.poll()).toBe(false);
    reader.follow(THREAD);
    expect(await reader.poll()).toBe(false);
    await writeFile(file, tokenCount(5, 1));
    expect(await reader.poll()).toBe(true);
    expect(reader.total).toMatchObject({ inputTokens: 5 });
  });
});
