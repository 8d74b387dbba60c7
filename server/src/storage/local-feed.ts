import type { ChangeFeed } from './change-feed.js';

/**
 * The change feed of a single process on SQLite: nobody to tell about its writes. Its own file, so that
 * opening SQLite never loads the Postgres driver that change-feed.ts needs.
 */
export const LOCAL_FEED: ChangeFeed = {
  shared: false,
  ready: async () => {},
  notify: async () => {},
  listen: () => () => {},
  onReconnect: () => () => {},
  close: async () => {},
};
