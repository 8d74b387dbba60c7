/**
 * Gluon as a user runs it, for the bench: `gluon serve` (the built bundle) as its own process on a fresh
 * data directory, its agents talking to a fake API that lives in the bench's process, off the server's
 * event loop (and out of its memory: a child forked from a large process costs more to spawn).
 */
import type { ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { startFakeAnthropic, type FakeAnthropic } from '../fakes/anthropic/index.js';
import { createClient, type GluonClient } from '../shared/client.js';
import { agentEnv, freePort, spawnServe, tempDir } from '../test/e2e/harness.js';

export interface ServedGluon {
  url: string;
  token: string;
  client: GluonClient;
  /** The `gluon serve` process. */
  child: ChildProcess;
  fake: FakeAnthropic;
  /** The data directory. */
  home: string;
  /** The environment the server (and through it each agent) was given. */
  env: NodeJS.ProcessEnv;
  /** Stops the server (SIGTERM, as a user would) and the fake API. */
  close(): Promise<void>;
}

/** Starts a served Gluon; `env` adds to the agents' environment (the fake API's, a scratch HOME). */
export async function serveGluon(name: string, env: NodeJS.ProcessEnv = {}): Promise<ServedGluon> {
  const fake = await startFakeAnthropic();
  const home = tempDir(name);
  const port = await freePort();
  const served = { ...agentEnv(fake, home), ...env };
  const child = await spawnServe(home, served, port);
  const url = `http://127.0.0.1:${port}`;
  const token = readFileSync(path.join(home, 'token'), 'utf8').trim();
  return {
    url,
    token,
    client: createClient({ baseUrl: url, token }),
    child,
    fake,
    home,
    env: served,
    async close() {
      if (child.exitCode === null) {
        child.kill('SIGTERM');
        await new Promise((r) => child.once('exit', r));
      }
      await fake.close();
    },
  };
}
