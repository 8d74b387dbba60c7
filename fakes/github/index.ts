/** The fake GitHub REST API for tests and demos: see server.ts. */
export { startFakeGitHub } from './server.js';
export type { FakeGitHub, FakeGitHubOptions, RecordedGitHubRequest } from './server.js';
export type { FakeCheckRun, FakePull, FakeStatus } from './store.js';
export type { FakeComment, FakeIssue } from './issues.js';
export type { FakeReviewComment } from './activity.js';
export { deliverWebhook, signWebhook } from './webhook.js';
