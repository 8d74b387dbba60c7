/** The fake Telegram Bot API: start it, give grammY its `apiRoot`, drive it as users. */
export {
  startFakeTelegram,
  type FakeTelegram,
  type FakeTelegramOptions,
  type RecordedCall,
} from './server.js';
export type { TgChat, TgMessage, TgUser } from './state.js';
