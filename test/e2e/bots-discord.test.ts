import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DISCORD_INTERACTIONS_PATH,
  setDiscordInteractions,
} from '../../server/src/transport/routes/discord.js';
import { buildApp } from '../../server/src/transport/http.js';
import { createPairingCode } from '../../bots/src/core/pairing.js';
import type { StoredMessage } from '../../fakes/discord/index.js';
import { settled, waitForTask } from './harness.js';
import {
  DISCORD_CHANNEL,
  DISCORD_GUILD,
  DISCORD_STRANGER,
  DISCORD_USER,
  startBotsStack,
  type BotsStack,
} from './bots-harness.js';

describe('the Discord bot, end to end', () => {
  let s: BotsStack;
  beforeAll(async () => {
    s = await startBotsStack({ discord: true });
  });
  afterAll(async () => s?.close());

  const dc = () => s.dc!;
  const as = { user: DISCORD_USER, channel: DISCORD_CHANNEL, guild: DISCORD_GUILD };
  const taskIdOf = (text: string) => /#([a-z0-9]{12})/.exec(text)![1]!;
  const original = (token: string, pred: (m: StoredMessage) => boolean, what: string) =>
    dc().waitFor(() => {
      const m = dc().original(token);
      return m && pred(m) ? m : undefined;
    }, what);
  const channelMessage = (channel: string, pred: (m: StoredMessage) => boolean, what: string) =>
    dc().waitFor(() => dc().messages.find((m) => m.where === `channel:${channel}` && pred(m)), what);
  const button = (m: StoredMessage, label: string) =>
    m.components.flatMap((row) => row.components).find((c) => c.label === label)!.custom_id!;

  it('refuses missing, invalid and stale signatures with 401 and answers a valid PING with PONG', async () => {
    expect((await dc().interact({ type: 1 }, { signature: 'none' })).status).toBe(401);
    expect((await dc().interact({ type: 1 }, { signature: 'invalid' })).status).toBe(401);
    const stale = Math.floor(Date.now() / 1000) - 10 * 60;
    expect((await dc().interact({ type: 1 }, { timestamp: stale })).status).toBe(401);
    const pong = await dc().interact({ type: 1 });
    expect(pong).toMatchObject({ status: 200, body: { type: 1 } });
  });

  it('registered its slash commands at start', async () => {
    await s.bots.ready;
    const names = (dc().commands() as { name: string }[]).map((c) => c.name);
    expect(names).toEqual(
      expect.arrayContaining(['board', 'new', 'logs', 'approve', 'answer', 'link', 'pair']),
    );
  });

  it('/new starts a task (deferred reply, then an edit) and /logs shows its tool calls', async () => {
    const created = await dc().command(
      'new',
      { project: 'sample', prompt: '[[scenario:demo]] take notes' },
      as,
    );
    expect(created).toMatchObject({ status: 200, body: { type: 5 } });
    const started = await original(
      created.token,
      (m) => m.content.startsWith('🚀 Started'),
      'the start reply',
    );
    const taskId = taskIdOf(started.content);
    await waitForTask(s.g.client, taskId, settled, 'the task');
    const logs = await dc().command('logs', { id: taskId }, as);
    expect(logs.body).toEqual({ type: 5 });
    const log = await original(logs.token, (m) => m.content.includes('→ review'), 'the log');
    expect(log.content.length).toBeLessThanOrEqual(2000);
    expect(log.content).toContain('🔧 Bash: ls -la');
    expect(log.content).toContain('🔧 Write: NOTES.md');
  });

  it('an Approve button press approves the pending tool call', async () => {
    const created = await dc().command(
      'new',
      { project: 'sample', prompt: '[[scenario:danger]] clean', approval: 'careful' },
      as,
    );
    const taskId = taskIdOf(
      (await original(created.token, (m) => m.content.startsWith('🚀'), 'the start reply')).content,
    );
    const asking = await channelMessage(
      DISCORD_CHANNEL,
      (m) => m.content.includes(taskId) && m.content.startsWith('❓'),
      'the approval',
    );
    expect(asking.content).toContain('wants to run Bash: rm -rf build');
    const pressed = await dc().press(asking, button(asking, '✅ Approve'), as);
    expect(pressed.body).toEqual({ type: 6 });
    const outcome = await original(pressed.token, (m) => m.content.includes('✅ Approved'), 'the outcome');
    expect(outcome.components).toEqual([]);
    const done = await waitForTask(s.g.client, taskId, settled, 'the approved task');
    expect(done.status).toBe('review');
    const { events } = await s.g.client.events(taskId);
    const result = events.find((e) => e.type === 'tool.result');
    expect(result?.type === 'tool.result' && result.data.isError).toBe(false);
  });

  it('a question is answered through the Answer… form and the session resumes', async () => {
    const created = await dc().command(
      'new',
      { project: 'sample', prompt: '[[scenario:ask]] formatter' },
      as,
    );
    const taskId = taskIdOf(
      (await original(created.token, (m) => m.content.startsWith('🚀'), 'the start reply')).content,
    );
    const question = await channelMessage(
      DISCORD_CHANNEL,
      (m) => m.content.includes(taskId) && m.content.includes('tabs or spaces'),
      'the question',
    );
    const opened = await dc().press(question, button(question, '✍️ Answer…'), as);
    expect(opened.body).toMatchObject({ type: 9, data: { title: 'Answer the agent' } });
    const form = opened.body!.data as { custom_id: string };
    const submitted = await dc().submit(question, form.custom_id, 'tabs, please', as);
    expect(submitted.body).toEqual({ type: 6 });
    await original(submitted.token, (m) => m.content.includes('✍️ Answered'), 'the answer ack');
    const done = await waitForTask(
      s.g.client,
      taskId,
      (t) => settled(t) && t.stopReason === 'completed',
      'the resumed run',
    );
    expect(readFileSync(path.join(done.worktreePath!, 'reply.txt'), 'utf8')).toContain('tabs, please');
  });

  it('strangers and other servers are refused privately, and create nothing', async () => {
    const before = (await s.g.client.listTasks()).length;
    const stranger = await dc().command(
      'new',
      { project: 'sample', prompt: 'x' },
      { ...as, user: DISCORD_STRANGER },
    );
    expect(stranger.body).toMatchObject({ type: 4, data: { flags: 64 } });
    const elsewhere = await dc().command(
      'new',
      { project: 'sample', prompt: 'x' },
      { ...as, guild: '123123' },
    );
    expect(elsewhere.body).toMatchObject({ type: 4, data: { flags: 64 } });
    expect((await s.g.client.listTasks()).length).toBe(before);
    expect(dc().original(stranger.token)).toBeUndefined();
  });

  it('a stranger pairs with a one-time code, and the code works once', async () => {
    const { code } = createPairingCode(s.g.home);
    const who = { ...as, user: '31337' };
    const paired = await dc().command('pair', { code }, who);
    expect(paired.body).toMatchObject({ type: 4, data: { content: expect.stringContaining('Paired') } });
    const board = await dc().command('board', {}, who);
    expect(board.body).toEqual({ type: 5 });
    await original(board.token, (m) => m.content.startsWith('📋'), 'the board');
    const again = await dc().command('pair', { code }, { ...as, user: '31338' });
    expect(again.body).toMatchObject({ data: { content: expect.stringContaining('does not serve you') } });
  });

  it('a channel linked to a project: /new there needs no project, and notifications go there', async () => {
    const channel = '888000';
    const linked = await dc().command('link', { project: 'sample' }, { ...as, channel });
    await original(linked.token, (m) => m.content.startsWith('🔗 This chat is linked to sample'), 'the link');
    const created = await dc().command(
      'new',
      { prompt: '[[scenario:write-file path=x.txt content=x]] x' },
      { ...as, channel },
    );
    const taskId = taskIdOf(
      (await original(created.token, (m) => m.content.startsWith('🚀'), 'the start reply')).content,
    );
    const review = await channelMessage(
      channel,
      (m) => m.content.includes(taskId),
      'the review notification',
    );
    expect(review.content).toContain('👀 Ready for review');
    const unlinked = await dc().command('unlink', {}, { ...as, channel });
    await original(unlinked.token, (m) => m.content.includes('no longer linked'), 'the unlink');
  });

  it('never sent content over 2,000 characters and was never refused', () => {
    const sent = dc().requests.filter((r) => r.method !== 'PUT');
    expect(sent.length).toBeGreaterThan(5);
    for (const r of sent) {
      const content = (r.body as { content?: string }).content ?? '';
      expect(content.length).toBeLessThanOrEqual(2000);
    }
    expect(sent.filter((r) => r.status !== 200)).toEqual([]);
  });
});

describe('the Discord endpoint hosted by the Gluon server (no Gluon token, signature first)', () => {
  let s: BotsStack;
  let app: FastifyInstance;
  beforeAll(async () => {
    s = await startBotsStack({ discord: true });
    // A second HTTP front over the same services: the server's real app, gate and route.
    let port = 0;
    app = await buildApp({
      services: s.g.server.services,
      token: s.g.server.token,
      allowedHosts: [],
      version: 'test',
      log: () => {},
      home: s.g.home,
      env: {},
      demo: false,
      models: s.g.server.config.models,
      port: () => port,
    });
    setDiscordInteractions(app, s.bots.discordInteractions);
    await app.listen({ host: '127.0.0.1', port: 0 });
    port = (app.server.address() as AddressInfo).port;
    s.dc!.target = `http://127.0.0.1:${port}${DISCORD_INTERACTIONS_PATH}`;
  });
  afterAll(async () => {
    await app?.close();
    await s?.close();
  });

  it('401 for missing, invalid or stale signatures; PONG for a signed PING; a signed command works', async () => {
    const dc = s.dc!;
    for (const bad of [
      { signature: 'none' as const },
      { signature: 'invalid' as const },
      { timestamp: 1_000_000_000 },
    ]) {
      const answer = await dc.interact({ type: 1 }, bad);
      expect(answer.status).toBe(401);
      expect(answer.body).toMatchObject({ error: { code: 'invalid_signature' } });
    }
    expect(await dc.interact({ type: 1 })).toMatchObject({ status: 200, body: { type: 1 } });
    const board = await dc.command(
      'board',
      {},
      { user: DISCORD_USER, channel: DISCORD_CHANNEL, guild: DISCORD_GUILD },
    );
    expect(board.body).toEqual({ type: 5 });
    await dc.waitFor(() => dc.original(board.token)?.content.startsWith('📋'), 'the board');
  });
});
