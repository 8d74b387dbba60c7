/**
 * The one way Gluon makes a GitHub client: Octokit, loaded on the first call (a server that never talks to
 * GitHub never loads it), quiet, with a timeout on every request.
 */
import type { Octokit } from '@octokit/rest';

const REQUEST_TIMEOUT_MS = 30_000;

/** A client for `token` at `baseUrl` (default https://api.github.com), made on the first call. */
export function lazyOctokit(opts: { token: string; baseUrl?: string }): () => Promise<Octokit> {
  let client: Promise<Octokit> | null = null;
  return () =>
    (client ??= import('@octokit/rest').then(
      (m) =>
        new m.Octokit({
          auth: opts.token,
          baseUrl: (opts.baseUrl ?? 'https://api.github.com').replace(/\/+$/, ''),
          userAgent: 'gluon',
          log: { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} },
        }),
    ));
}

/** The options of one request: it gives up after 30 s. */
export const githubRequest = () => ({ signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
