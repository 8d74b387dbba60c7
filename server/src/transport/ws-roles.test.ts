/**
 * Roles on the WebSocket, over a real socket to the real application: a caller sees on the board, and
 * may subscribe to, only the tasks of workspaces it has a role in; every message type names its role.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { WS_PROTOCOL, WS_TOKEN_PROTOCOL_PREFIX, type WsServerMessage } from '../../../shared/api.js';
import { insertTask } from '../storage/testing/factories.js';
import { MESSAGE_ROLES } from './ws-client.js';
import { startLiveApp, type LiveApp } from './testing/live-app.js';

/** Opens a socket with `token`, sends `messages`, and resolves with the first `count` answers. */
function exchange(
  live: LiveApp,
  token: string,
  messages: unknown[],
  count: number,
): Promise<WsServerMessage[]> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(`ws://127.0.0.1:${live.port}/api/ws`, [
      WS_PROTOCOL,
      `${WS_TOKEN_PROTOCOL_PREFIX}${token}`,
    ]);
    const got: WsServerMessage[] = [];
    socket.on('open', () => messages.forEach((m) => socket.send(JSON.stringify(m))));
    socket.on('message', (raw: Buffer) => {
      got.push(JSON.parse(raw.toString('utf8')) as WsServerMessage);
      if (got.length === count) {
        socket.close();
        resolve(got);
      }
    });
    socket.on('error', reject);
  });
}

describe('roles on the WebSocket', () => {
  let live: LiveApp;
  let taskId: string;
  const tokens: Record<string, string> = {};
  beforeAll(async () => {
    live = await startLiveApp();
    const project = (await live.services.projects.find('sample'))!;
    taskId = (await insertTask(live.storage, { projectId: project.id, status: 'review' })).id;
    const people = live.services.team.people;
    tokens.vic = (await people.add({ name: 'vic', role: 'viewer', workspace: 'default' })).token;
    tokens.far = (await people.add({ name: 'far', role: 'operator', workspace: 'elsewhere' })).token;
  });
  afterAll(async () => live?.close());

  it('names a role for every message type', () => {
    expect(MESSAGE_ROLES).toEqual({
      ping: 'viewer',
      'subscribe.board': 'viewer',
      'subscribe.task': 'viewer',
      'unsubscribe.task': 'viewer',
    });
  });

  it('shows a workspace’s tasks only to those with a role there', async () => {
    const subscribe = [{ type: 'subscribe.board' }, { type: 'subscribe.task', taskId, afterSeq: 0 }];
    const refused = await exchange(live, tokens.far!, subscribe, 2);
    expect(refused).toContainEqual({ type: 'board.snapshot', tasks: [] });
    expect(refused.find((m) => m.type === 'error')).toMatchObject({ error: { code: 'forbidden' } });

    const seen = await exchange(live, tokens.vic!, subscribe, 3);
    expect(seen.find((m) => m.type === 'board.snapshot')).toMatchObject({ tasks: [{ id: taskId }] });
    expect(seen.map((m) => m.type)).toContain('subscribed');
  });
});
