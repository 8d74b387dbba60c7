/**
 * How the Codex adapter fails: through the real Codex CLI against the fake OpenAI Responses API, a turn
 * that fails, a rate limit ridden out, a Codex that cannot start or has no key.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  codexScript,
  recordingHooks,
  startCodexHarness,
  type CodexHarness,
} from './testing/codex-harness.js';

describe('a failed Codex turn', () => {
  let h: CodexHarness;
  beforeAll(async () => {
    h = await startCodexHarness();
  });
  afterAll(async () => h.close());

  it('reports a failed turn as an error, retryable for a rate limit and not for a bad request', async () => {
    const bad = await h.agent.start(
      h.request(codexScript.fail(400, 'message="bad request body"'), await h.workspace()),
      recordingHooks().hooks,
    ).done;
    expect(bad).toMatchObject({ ok: false, stoppedBy: null, error: { retryable: false } });
    expect(bad.error?.message).toMatch(/bad request body/);
    const rec = recordingHooks();
    const limited = await h.agent.start(h.request(codexScript.fail(429), await h.workspace()), rec.hooks)
      .done;
    expect(limited.error).toMatchObject({ retryable: true, message: expect.stringMatching(/429/) });
    // The failure is the outcome's error, not also a notice.
    expect(rec.events.filter((e) => e.type === 'notice')).toEqual([]);
    expect(limited.costUsd).toBe(0);
  });
});

describe('the Codex agent with retries', () => {
  let retrying: CodexHarness;
  beforeAll(async () => {
    // Codex retries a rate limit at the turn level (its stream retries), not per request.
    retrying = await startCodexHarness({ streamMaxRetries: 2 });
  });
  afterAll(async () => retrying.close());

  it('rides out a rate limit by retrying after the time the API asks for', async () => {
    const rec = recordingHooks();
    const outcome = await retrying.agent.start(
      retrying.request(codexScript.fail(429, 'times=1 retry_after=1'), await retrying.workspace()),
      rec.hooks,
    ).done;
    expect(outcome).toMatchObject({ ok: true, finalText: 'Recovered after 1 failed attempt(s).' });
    expect(retrying.fake.requests.map((r) => r.status)).toEqual([429, 200]);
    // The retry is said on the stream; only a retry that never succeeds would be the run's error.
    expect(rec.events.filter((e) => e.type === 'notice')).toEqual([
      { type: 'notice', data: { message: expect.stringMatching(/^codex: Reconnecting\.\.\. 1\/2 .*429/) } },
    ]);
  });
});

describe('a Codex that cannot start', () => {
  it('fails the run with the reason, not retryable, and no session', async () => {
    const broken = await startCodexHarness({ executable: '/nonexistent/codex' });
    try {
      const outcome = await broken.agent.start(
        broken.request(codexScript.text('hi'), await broken.workspace()),
        recordingHooks().hooks,
      ).done;
      expect(outcome).toMatchObject({ ok: false, sessionId: null, error: { retryable: false } });
      expect(outcome.error?.message).toMatch(/could not start codex: spawn \/nonexistent\/codex ENOENT/);
    } finally {
      await broken.close();
    }
  });

  it('fails at once, asking for the key, when there is no OpenAI API key', async () => {
    const keyless = await startCodexHarness({ apiKey: undefined });
    try {
      const outcome = await keyless.agent.start(
        keyless.request(codexScript.text('hi'), await keyless.workspace()),
        recordingHooks().hooks,
      ).done;
      expect(outcome.error).toEqual({
        message: 'Missing environment variable: `OPENAI_API_KEY`.',
        retryable: false,
      });
      expect(keyless.fake.requests).toEqual([]);
    } finally {
      await keyless.close();
    }
  });
});
