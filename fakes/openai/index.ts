/** The scripted fake OpenAI Responses API: start it, point a Codex model provider's `base_url` at `baseUrl`. */
export { startFakeOpenAi, type FakeOpenAi, type FakeOpenAiOptions, type RecordedRequest } from './server.js';
export { scenarios, ASK_TEXT, type Scenario, type StepContext } from './scenarios.js';
export { DEFAULT_USAGE, type Usage } from './replies.js';
export { DEFAULT_SCENARIO } from './script.js';
