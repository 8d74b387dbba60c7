import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { settled, waitForTask } from './harness.js';
import { ADA_DM, DISCORD_CHANNEL, startBotsStack, type BotsStack } from './bots-harness.js';

describe('notifications on every chat surface', () => {
  let s: BotsStack;
  beforeAll(async () => {
    s = await startBotsStack({ telegram: true, discord: true, bots: { escalateAfterSeconds: 0.3 } });
  });
  afterAll(async () => s?.close());

  const telegramNotes = (taskId: string, headline: string) =>
    s
      .tg!.messages(ADA_DM.id)
      .filter((m) => m.from.is_bot && m.text.startsWith(headline) && m.text.includes(`#${taskId}`));
  const discordNotes = (taskId: string, headline: string) =>
    s.dc!.messages.filter(
      (m) =>
        m.where === `channel:${DISCORD_CHANNEL}` &&
        m.content.startsWith(headline) &&
        m.content.includes(`#${taskId}`),
    );
  const bothHave = (taskId: string, headline: string) =>
    s.tg!.waitFor(
      () => telegramNotes(taskId, headline).length > 0 && discordNotes(taskId, headline).length > 0,
      `${headline} of ${taskId} on both surfaces`,
    );

  it('a task that needs input produces exactly one notification per surface, naming task, project, reason, cost and link', async () => {
    const task = await s.g.client.createTask({
      project: 'sample',
      prompt: '[[scenario:ask]] set up the formatter',
    });
    const waiting = await waitForTask(
      s.g.client,
      task.id,
      (t) => settled(t) && t.inputRequired,
      'the question',
    );
    await bothHave(task.id, '❓ Needs your input');
    const [telegram] = telegramNotes(task.id, '❓');
    const [discord] = discordNotes(task.id, '❓');
    for (const text of [telegram!.text, discord!.content]) {
      expect(text).toContain(`#${task.id} set up the formatter`);
      expect(text).toContain('Project: sample');
      expect(text).toMatch(/Cost so far: \$0\.00\d\d/);
      expect(text).toContain('Why: asks: I can set up the formatter for you. Should I use tabs or spaces?');
      expect(text).toContain(`${s.g.server.url}/tasks/${task.id}`);
    }
    // Not started from a chat: the question escalated to the chats only after the configured delay.
    const sentAt = s.tg!.calls.find(
      (c) => c.method === 'sendMessage' && String(c.payload.text).includes(`#${task.id}`),
    )!.at;
    expect(sentAt).toBeGreaterThanOrEqual(Date.parse(waiting.pendingInput!.createdAt) + 300);

    // A restart of the bots re-reads the whole board: nothing is sent twice. A second question after the
    // restart shows the restarted notifier has handled its board snapshot (snapshots come first).
    await s.restartBots();
    const second = await s.g.client.createTask({
      project: 'sample',
      prompt: '[[scenario:ask]] and the linter',
    });
    await bothHave(second.id, '❓ Needs your input');
    expect(telegramNotes(task.id, '❓')).toHaveLength(1);
    expect(discordNotes(task.id, '❓')).toHaveLength(1);
    expect(telegramNotes(second.id, '❓')).toHaveLength(1);
    expect(discordNotes(second.id, '❓')).toHaveLength(1);
  });

  it('a task that reaches review or fails is announced once per surface, with the reason', async () => {
    const good = await s.g.client.createTask({
      project: 'sample',
      prompt: '[[scenario:write-file path=a.txt content=a]] a',
    });
    const bad = await s.g.client.createTask({ project: 'sample', prompt: '[[scenario:fail status=400]] b' });
    await bothHave(good.id, '👀 Ready for review');
    await bothHave(bad.id, '❌ Failed');
    expect(telegramNotes(good.id, '👀')[0]!.text).toContain('Why: the agent finished');
    expect(discordNotes(bad.id, '❌')[0]!.content).toMatch(/Why: .*400/);
    await s.restartBots();
    const marker = await s.g.client.createTask({
      project: 'sample',
      prompt: '[[scenario:write-file path=b.txt content=b]] b',
    });
    await bothHave(marker.id, '👀 Ready for review');
    for (const [id, headline] of [
      [good.id, '👀'],
      [bad.id, '❌'],
    ] as const) {
      expect(telegramNotes(id, headline)).toHaveLength(1);
      expect(discordNotes(id, headline)).toHaveLength(1);
    }
  });
});
