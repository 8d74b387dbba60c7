/**
 * One API client per chat account: each names the account (`x-gluon-chat-account: telegram:1234`) and
 * the surface, so that once Gluon has users the server acts as the user linked to that account, with
 * that user's role (`gluon user link NAME telegram 1234`); before that, as the installation.
 */
import { createClient, type GluonClient } from '../../../shared/client.js';
import type { ChatContext } from './reply.js';

export function createChatClients(
  baseUrl: string,
  token: string | undefined,
): (chat: ChatContext) => GluonClient {
  const clients = new Map<string, GluonClient>();
  return (chat) => {
    const account = `${chat.surface}:${chat.userId}`;
    let client = clients.get(account);
    if (!client) {
      const headers = { 'x-gluon-surface': chat.surface, 'x-gluon-chat-account': account };
      client = createClient({ baseUrl, token, headers: () => headers });
      clients.set(account, client);
    }
    return client;
  };
}
