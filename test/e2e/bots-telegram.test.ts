import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TgMessage } from '../../fakes/telegram/index.js';
import { createPairingCode } from '../../bots/src/core/pairing.js';
import { freePort, settled, waitForTask } from './harness.js';
import { ADA, ADA_DM, EVE, EVE_DM, GROUP, startBotsStack, type BotsStack } from './bots-harness.js';

describe('the Telegram bot, end to end', () => {
  let s: BotsStack;
  beforeAll(async () => {
    s = await startBotsStack({ telegram: true });
  });
  afterAll(async () => s?.close());

  const tg = () => s.tg!;
  /** The bot's messages in a chat after a given message id. */
  const botMessages = (chatId: number, after = 0) =>
    tg()
      .messages(chatId)
      .filter((m) => m.from.is_bot && m.message_id > after);
  const lastId = (chatId: number) => tg().messages(chatId).at(-1)?.message_id ?? 0;
  const waitBot = (chatId: number, after: number, pred: (m: TgMessage) => boolean, what: string) =>
    tg().waitFor(() => botMessages(chatId, after).find(pred), what);
  const taskIdOf = (m: TgMessage) => /#([a-z0-9]{12})/.exec(m.text)![1]!;
  /** Ada says `command` (a `/new`); resolves with the bot's start reply, its task, and where it began. */
  const startTask = async (command: string) => {
    const before = lastId(ADA_DM.id);
    tg().say(ADA, ADA_DM, command);
    const started = await waitBot(
      ADA_DM.id,
      before,
      (m) => m.text.startsWith('🚀 Started'),
      'the start reply',
    );
    return { before, started, taskId: taskIdOf(started) };
  };
  /** The bot's "needs your input" message about `taskId`, sent after `before`. */
  const waitInput = (before: number, taskId: string, what: string) =>
    waitBot(
      ADA_DM.id,
      before,
      (m) => m.text.startsWith('❓ Needs your input') && m.text.includes(taskId),
      what,
    );
  const MALLORY = { id: 7777, is_bot: false, first_name: 'Mallory' };
  const MALLORY_DM = { id: 7777, type: 'private' as const, first_name: 'Mallory' };

  it('/new from an allowlisted user starts a task and /logs shows its tool calls', async () => {
    const { started, taskId } = await startTask('/new sample [[scenario:demo]] write some notes');
    expect(started.text).toContain('sample · standard · approval auto');
    const done = await waitForTask(s.g.client, taskId, settled, 'the task');
    expect(done.status).toBe('review');

    const beforeLogs = lastId(ADA_DM.id);
    tg().say(ADA, ADA_DM, `/logs ${taskId.slice(0, 6)}`);
    const log = await waitBot(ADA_DM.id, beforeLogs, (m) => m.text.startsWith('📜'), 'the log');
    expect(log.text).toContain(`#${taskId}`);
    expect(log.text).toContain('🔧 Bash: ls -la');
    expect(log.text).toContain('🔧 Write: NOTES.md');
    expect(log.text).toContain("🔧 Bash: cat 'NOTES.md'");
    expect(log.text).toContain('↳ File created successfully at: NOTES.md');
    expect(log.text).toMatch(/▶ running → review/);
  });

  it('an approval arrives with buttons; pressing Approve lets the pending tool call run', async () => {
    const { before, taskId } = await startTask(
      '/new sample --approval careful [[scenario:danger]] clean the build',
    );
    const asking = await waitInput(before, taskId, 'the approval request');
    expect(asking.text).toContain('wants to run Bash: rm -rf build');
    const buttons = asking.reply_markup!.inline_keyboard!.flat();
    expect(buttons.map((b) => b.text)).toEqual(['✅ Approve', '⛔ Deny']);
    const waiting = await s.g.client.getTask(taskId);
    expect(buttons[0]!.callback_data).toBe(`ok:${taskId}:${waiting.pendingInput!.requestId}`);

    tg().press(ADA, ADA_DM.id, asking.message_id, buttons[0]!.callback_data!);
    const done = await waitForTask(s.g.client, taskId, settled, 'the approved task');
    expect(done.status).toBe('review');
    const { events } = await s.g.client.events(taskId);
    expect(events).toContainEqual(
      expect.objectContaining({
        type: 'input.resolved',
        data: expect.objectContaining({ decision: 'approved' }),
      }),
    );
    const result = events.find((e) => e.type === 'tool.result');
    expect(result?.type === 'tool.result' && result.data.isError).toBe(false);
    const edited = await tg().waitFor(
      () =>
        tg()
          .messages(ADA_DM.id)
          .find((m) => m.message_id === asking.message_id && m.text.includes('✅ Approved')),
      'the buttons replaced by the outcome',
    );
    expect(edited.reply_markup).toBeUndefined();
  });

  it('a question answered by replying to its message resumes the same session', async () => {
    const { before, taskId } = await startTask('/new sample [[scenario:ask]] set up the formatter');
    const question = await waitInput(before, taskId, 'the question');
    expect(question.text).toContain('asks: I can set up the formatter for you. Should I use tabs or spaces?');
    expect(question.text).toContain('Reply to this message to answer.');
    const waiting = await s.g.client.getTask(taskId);

    tg().say(ADA, ADA_DM, 'spaces, two of them', question.message_id);
    const ack = await waitBot(
      ADA_DM.id,
      question.message_id,
      (m) => m.text.startsWith('✍️ Answered'),
      'the answer ack',
    );
    expect(ack.text).toContain(`#${taskId}`);
    const done = await waitForTask(
      s.g.client,
      taskId,
      (t) => settled(t) && !t.inputRequired && t.stopReason === 'completed',
      'the resumed run',
    );
    expect(done.sessionId).toBe(waiting.sessionId);
    expect(readFileSync(path.join(done.worktreePath!, 'reply.txt'), 'utf8')).toContain('spaces, two of them');
  });

  it("a stranger's /new in a private chat and in a group creates nothing and gets nothing", async () => {
    const tasksBefore = (await s.g.client.listTasks()).length;
    const agentCallsBefore = s.g.fake.requests.length;
    const groupBefore = lastId(GROUP.id);
    tg().say(EVE, EVE_DM, '/new sample [[scenario:demo]] do my bidding');
    tg().say(EVE, GROUP, '/new sample [[scenario:demo]] do my bidding');
    tg().say(EVE, GROUP, '/board');
    // Updates are handled in order: once Ada's command is answered, Eve's were handled before it.
    tg().say(ADA, GROUP, '/board');
    const board = await waitBot(GROUP.id, groupBefore, (m) => m.text.startsWith('📋'), "Ada's board");
    expect(board.reply_to_message?.from.id).toBe(ADA.id);
    expect(botMessages(GROUP.id, groupBefore)).toHaveLength(1);
    expect(botMessages(EVE_DM.id)).toHaveLength(0);
    expect((await s.g.client.listTasks()).length).toBe(tasksBefore);
    expect(s.g.fake.requests.length).toBe(agentCallsBefore);
  });

  it("a long log stays within 4,096 characters and Telegram's rate limits, after the fact and live", async () => {
    let before = lastId(ADA_DM.id);
    tg().say(ADA, ADA_DM, '/new sample [[scenario:bash cmd="seq 1 3000"]] count to 3000');
    const counted = taskIdOf(
      await waitBot(ADA_DM.id, before, (m) => m.text.startsWith('🚀'), 'the start reply'),
    );
    await waitForTask(s.g.client, counted, settled, 'the counting task');
    before = lastId(ADA_DM.id);
    tg().say(ADA, ADA_DM, `/logs ${counted}`);
    const long = await waitBot(ADA_DM.id, before, (m) => m.text.startsWith('📜'), 'the long log');
    expect(long.text.length).toBeLessThanOrEqual(4096);
    expect(long.text.length).toBeGreaterThan(3500);
    expect(long.text).toMatch(/… \d+ earlier lines/);
    expect(long.text).toContain('   3000\n');
    expect(long.text).toMatch(
      /▶ running → review \(the agent finished\)\nhttp:\/\/127\.0\.0\.1:\d+\/tasks\/[a-z0-9]+$/,
    );

    before = lastId(ADA_DM.id);
    tg().say(ADA, ADA_DM, '/new sample [[scenario:loop-forever delay=20]] tick forever');
    const ticking = taskIdOf(
      await waitBot(ADA_DM.id, before, (m) => m.text.startsWith('🚀'), 'the start reply'),
    );
    before = lastId(ADA_DM.id);
    tg().say(ADA, ADA_DM, `/logs ${ticking}`);
    const live = await waitBot(ADA_DM.id, before, (m) => m.text.startsWith('📜'), 'the live log');
    const edits = () =>
      tg().calls.filter(
        (c) => c.method === 'editMessageText' && c.payload.message_id === live.message_id && c.status === 200,
      );
    await tg().waitFor(
      () =>
        edits().length >= 3 &&
        tg()
          .messages(ADA_DM.id)
          .find((m) => m.message_id === live.message_id)!
          .text.includes('· live'),
      'live edits',
    );
    tg().say(ADA, ADA_DM, `/cancel ${ticking}`);
    await waitForTask(s.g.client, ticking, (t) => t.status === 'cancelled', 'the cancel');
    const final = await tg().waitFor(
      () =>
        tg()
          .messages(ADA_DM.id)
          .find((m) => m.message_id === live.message_id && m.text.includes('cancelled (cancelled)')),
      'the final view of the live log',
    );
    expect(final.text).not.toContain('· live');
    expect(final.text).toContain('🔧 Bash: echo tick >> ticks.txt');

    const writes = tg().calls.filter((c) => c.method === 'sendMessage' || c.method === 'editMessageText');
    expect(writes.length).toBeGreaterThan(10);
    for (const call of writes) expect(String(call.payload.text).length).toBeLessThanOrEqual(4096);
    expect(tg().calls.filter((c) => c.status === 429)).toEqual([]);
    expect(tg().calls.filter((c) => c.status !== 200 && c.method !== 'editMessageText')).toEqual([]);
  });

  it('a stranger who sends a valid pairing code in a private chat is served from then on, once per code', async () => {
    const { code } = createPairingCode(s.g.home);
    tg().say(MALLORY, MALLORY_DM, `/start ${code.toLowerCase()}`);
    const paired = await waitBot(
      MALLORY_DM.id,
      0,
      (m) => m.text.startsWith('✅ Paired'),
      'the pairing reply',
    );
    tg().say(MALLORY, MALLORY_DM, '/tasks');
    await waitBot(MALLORY_DM.id, paired.message_id, (m) => m.text.includes('#'), 'the task list');
    // The code is spent: a second stranger gets nothing for it.
    tg().say(EVE, EVE_DM, `/start ${code}`);
    tg().say(MALLORY, MALLORY_DM, '/board');
    await waitBot(MALLORY_DM.id, paired.message_id, (m) => m.text.startsWith('📋'), 'the board');
    expect(botMessages(EVE_DM.id)).toHaveLength(0);
  });

  it('a group linked to a project: /new there needs no project, and its notifications go there', async () => {
    let before = lastId(GROUP.id);
    tg().say(ADA, GROUP, '/link sample');
    await waitBot(GROUP.id, before, (m) => m.text.startsWith('🔗 This chat is linked to sample'), 'the link');
    before = lastId(GROUP.id);
    tg().say(ADA, GROUP, '/new [[scenario:write-file path=g.txt content=g]] from the group --profile quick');
    const started = await waitBot(GROUP.id, before, (m) => m.text.startsWith('🚀'), 'the start reply');
    expect(started.text).toContain('sample · quick');
    const taskId = taskIdOf(started);
    const review = await waitBot(
      GROUP.id,
      before,
      (m) => m.text.startsWith('👀 Ready for review') && m.text.includes(taskId),
      'the review notification',
    );
    expect(review.text).toContain('Project: sample');
    expect(botMessages(ADA_DM.id).filter((m) => m.text.includes(taskId))).toHaveLength(0);
    tg().say(ADA, GROUP, '/unlink');
    await waitBot(GROUP.id, review.message_id, (m) => m.text.includes('no longer linked'), 'the unlink');
  });
});

describe('the Telegram bot in webhook mode', () => {
  let s: BotsStack;
  let hook: string;
  beforeAll(async () => {
    const port = await freePort();
    hook = `http://127.0.0.1:${port}/telegram-hook`;
    s = await startBotsStack({
      telegram: true,
      telegramExtra: { webhook: { url: hook, secret: 'hook-secret_1', port } },
    });
  });
  afterAll(async () => s?.close());

  it('registers its webhook with a secret token, serves updates posted there, and refuses a wrong secret', async () => {
    await s.bots.ready;
    const registered = s.tg!.calls.find((c) => c.method === 'setWebhook');
    expect(registered?.payload).toMatchObject({ url: hook, secret_token: 'hook-secret_1' });
    s.tg!.say(ADA, ADA_DM, '/board');
    await s.tg!.waitFor(
      () => s.tg!.messages(ADA_DM.id).find((m) => m.from.is_bot && m.text.startsWith('📋')),
      'the board',
    );
    const forged = await fetch(hook, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': 'wrong' },
      body: JSON.stringify({
        update_id: 999,
        message: { message_id: 1, date: 0, chat: ADA_DM, from: ADA, text: '/board' },
      }),
    });
    expect(forged.status).toBe(401);
  });
});
