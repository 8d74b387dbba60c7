/** Test data: what a task waits on a human for — a question, or a Bash call to approve — for any client's tests. */
import type { PendingInput } from '../api.js';

/** A question asked at 00:04, no longer live (the run ended and waits in review). */
export const QUESTION: PendingInput = {
  requestId: 'req1',
  kind: 'question',
  live: false,
  text: 'Tabs or spaces?',
  createdAt: '2025-01-01T00:04:00.000Z',
};

/** A live approval of `rm -rf build`, asked at 00:04. */
export const APPROVAL: PendingInput = {
  requestId: 'req2',
  kind: 'approval',
  live: true,
  toolName: 'Bash',
  toolInput: { command: 'rm -rf build' },
  reason: 'rm -rf is destructive',
  createdAt: '2025-01-01T00:04:00.000Z',
};
