/**
 * The chat bots act as the Gluon user linked to the chat account: the bots' real actions and per-account
 * clients against the real server. In single-user mode a chat acts as the installation; once users exist
 * a linked account gets its user's role (a viewer cannot cancel), an unlinked one gets nothing, and the
 * audit log names the user and the chat surface.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createActions } from '../../bots/src/core/actions.js';
import type { Access } from '../../bots/src/core/access.js';
import { createChatClients } from '../../bots/src/core/chat-clients.js';
import type { Links } from '../../bots/src/core/links.js';
import type { ChatContext } from '../../bots/src/core/reply.js';
import { createFakeAgent } from '../../server/src/runner/testing/fake-agent.js';
import { startServer, type RunningServer } from '../../server/src/server.js';
import { createClient } from '../../shared/client.js';

describe('chat accounts act as their linked users', () => {
  let dir: string;
  let server: RunningServer;
  let actions: ReturnType<typeof createActions>;
  const chat = (userId: string): ChatContext => ({ surface: 'telegram', chatId: '-100', userId });

  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'gluon-chat-'));
    server = await startServer({
      home: path.join(dir, 'home'),
      config: { port: 0 },
      env: { PATH: process.env.PATH, HOME: dir },
      agent: createFakeAgent(),
      log: () => {},
    });
    const links: Links = { projectOf: () => null, set: () => {}, chatsOf: () => [] };
    actions = createActions({
      client: createClient({ baseUrl: server.localUrl, token: server.token }),
      clientFor: createChatClients(server.localUrl, server.token),
      links,
      access: { isAllowed: () => true } as unknown as Access,
      publicUrl: server.localUrl,
      log: () => {},
    });
  });
  afterAll(async () => {
    await server?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('acts as the installation before users exist, then as the linked user with its role', async () => {
    expect((await actions.run({ kind: 'board' }, chat('111'))).text).not.toMatch(/⚠️/);
    const people = server.services.team.people;
    await people.add({ name: 'ada', role: 'admin' });
    await people.add({ name: 'vic', role: 'viewer' });
    await people.link('telegram', '111', 'vic');
    await people.link('telegram', '333', 'ada');

    const refused = await actions.run({ kind: 'cancel', id: 'abcdef' }, chat('111'));
    expect(refused.text).toMatch(/⚠️ this needs the operator role/);
    expect((await actions.run({ kind: 'board' }, chat('111'))).text).not.toMatch(/⚠️/);
    expect((await actions.run({ kind: 'board' }, chat('222'))).text).toMatch(
      /⚠️ this chat account is not linked to a Gluon user; an admin links it: gluon user link NAME telegram 222/,
    );
    expect((await actions.run({ kind: 'cancel', id: 'abcdef' }, chat('333'))).text).toMatch(/not found/);

    const audit = await server.services.team.audit.list({});
    expect(audit.map((e) => `${e.user}@${e.surface} ${e.outcome} ${e.action}`)).toContain(
      'vic@telegram denied POST /api/tasks/abcdef/cancel',
    );
  });
});
