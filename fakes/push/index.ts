/** The fake Web Push service for tests: see server.ts. */
export { startFakePushService } from './server.js';
export type { FakePushService, FakeSubscription, ReceivedPush } from './server.js';
export { decryptPushBody, newSubscriptionKeys } from './decrypt.js';
