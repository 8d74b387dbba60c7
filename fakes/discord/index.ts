/** The fake Discord: signs and posts interactions to the bot, and records what the bot sends over REST. */
export {
  startFakeDiscord,
  type FakeDiscord,
  type FakeDiscordOptions,
  type RecordedRequest,
  type StoredMessage,
} from './server.js';
export { createSigner, type Signer } from './signer.js';
export type { InteractionAnswer, InteractionOptions, MessageRef } from './interactions.js';
