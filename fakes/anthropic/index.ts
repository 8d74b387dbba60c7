/** The scripted fake Anthropic Messages API: start it, point `ANTHROPIC_BASE_URL` at its `url`. */
export {
  startFakeAnthropic,
  type FakeAnthropic,
  type FakeAnthropicOptions,
  type RecordedRequest,
} from './server.js';
export { scenarios, QUESTION, ASK_TEXT, type Scenario, type StepContext } from './scenarios.js';
export { DEFAULT_USAGE, type Usage } from './replies.js';
export { DEFAULT_SCENARIO } from './script.js';
