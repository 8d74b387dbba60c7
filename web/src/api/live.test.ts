import { describe, expect, it } from 'vitest';
import { FakeSocket, manualTimers } from '../../../shared/testing/fake-socket.js';
import { createLiveConnection } from './live.js';

describe('createLiveConnection', () => {
  it('connects to /api/ws of the origin, with the token as a subprotocol, never in the URL', () => {
    const sockets: FakeSocket[] = [];
    const live = createLiveConnection('https://host:8443/', 'tok', {
      createSocket: (url, protocols) => {
        sockets.push(new FakeSocket(url, protocols));
        return sockets.at(-1)!;
      },
      timers: manualTimers(),
    });
    live.start();
    expect(sockets[0]!.url).toBe('wss://host:8443/api/ws');
    expect(sockets[0]!.protocols).toEqual(['gluon.v1', 'gluon-token.tok']);
    sockets[0]!.open();
    const seen: string[] = [];
    live.watchBoard((m) => seen.push(m.type));
    sockets[0]!.receive({ type: 'board.snapshot', tasks: [] });
    expect(sockets[0]!.sent).toEqual([{ type: 'subscribe.board' }]);
    expect(seen).toEqual(['board.snapshot']);
  });
});
