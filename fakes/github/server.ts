/**
 * A fake of the GitHub REST API on 127.0.0.1: the routes Octokit calls for pull requests, commit statuses,
 * check runs (with their Actions job logs), review comments, issues and comments, with token checks and a
 * record of every request. Tests drive it through the real
 * Octokit (point `baseUrl` at `url`) and change its state with the helpers (merge, close, statuses).
 */
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import { listen, readBody } from '../shared/http.js';
import { createActivityStore, type FakeReviewComment } from './activity.js';
import { createIssueStore, type FakeComment, type FakeIssue } from './issues.js';
import { json, matchRoute, notFound, pullRoutes, type Reply } from './pull-routes.js';
import { createStore, type FakeCheckRun, type FakePull, type FakeStatus } from './store.js';

export interface RecordedGitHubRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  headers: IncomingHttpHeaders;
  body: unknown;
}

export interface FakeGitHubOptions {
  /** Accepted tokens (`Authorization: token T` or `Bearer T`). Default: `['ghp_fake']`. */
  tokens?: string[];
  /** The sha of `branch`, or null when it does not exist (a PR for it is refused with 422). Default: any branch exists. */
  resolveBranch?: (owner: string, repo: string, branch: string) => Promise<string | null> | string | null;
  /**
   * What merging a pull request does to the repository (`PUT …/pulls/N/merge`): given the pull and the
   * request's `merge_method` and `sha`, move its base and return the base's new commit. Default: nothing
   * moves, the answer names the head. A `sha` other than the head's (by `resolveBranch`) is refused with 409.
   */
  onMerge?: (pull: FakePull, method: string, sha: string | null) => Promise<string> | string;
}

export interface FakeGitHub {
  url: string;
  requests: RecordedGitHubRequest[];
  pulls: FakePull[];
  merge(owner: string, repo: string, number: number): void;
  close(owner: string, repo: string, number: number): void;
  setStatus(owner: string, repo: string, sha: string, status: FakeStatus): void;
  /** Adds a check run of `sha`; `log` becomes its Actions job log. Returns it with its id. */
  addCheckRun(
    owner: string,
    repo: string,
    sha: string,
    run: FakeCheckRun & { log?: string },
  ): FakeCheckRun & { id: number };
  /** The REST JSON of a check run (what a `check_run` webhook carries), with the pull requests of its head. */
  checkRunJson(owner: string, repo: string, sha: string, run: FakeCheckRun & { id: number }): unknown;
  /** A reviewer's comment on a line of a pull request, and its REST JSON (a webhook's `comment`). */
  addReviewComment(
    owner: string,
    repo: string,
    pullNumber: number,
    c: { path: string; line: number; body: string; user?: string },
  ): FakeReviewComment;
  reviewCommentJson(c: FakeReviewComment): unknown;
  /** Someone's comment on an issue or a pull request's conversation, and its REST JSON. */
  addComment(owner: string, repo: string, number: number, c: { body: string; user?: string }): FakeComment;
  commentJson(c: FakeComment): unknown;
  /** The REST JSON of a pull request (a webhook's `pull_request`). */
  pullJson(owner: string, repo: string, number: number): unknown;
  issues: FakeIssue[];
  /** Opens an issue (with labels) as a user would. */
  addIssue(i: { owner: string; repo: string; title: string; body?: string; labels?: string[] }): FakeIssue;
  /** The REST JSON of an issue (what a webhook's `issue` carries). */
  issueJson(issue: FakeIssue): unknown;
  /** Comments posted on the issues, oldest first. */
  comments: FakeComment[];
  stop(): Promise<void>;
}

/** Starts the fake on a free port of 127.0.0.1. */
export async function startFakeGitHub(opts: FakeGitHubOptions = {}): Promise<FakeGitHub> {
  const tokens = new Set(opts.tokens ?? ['ghp_fake']);
  let url = '';
  const store = createStore(() => url);
  const issueStore = createIssueStore(
    () => url,
    (o, r, n) => store.find(o, r, n) !== undefined,
  );
  let nextActivityId = 90_000;
  const activity = createActivityStore(
    () => url,
    () => (nextActivityId += 1),
  );
  const requests: RecordedGitHubRequest[] = [];
  const setState = (owner: string, repo: string, number: number, merged: boolean) => {
    const pull = store.find(owner, repo, number);
    if (!pull) throw new Error(`no pull request ${owner}/${repo}#${number}`);
    pull.state = 'closed';
    pull.merged = merged;
    pull.mergedAt = merged ? new Date().toISOString() : null;
  };

  const routes = pullRoutes({
    store,
    resolveBranch: opts.resolveBranch,
    onMerge: opts.onMerge,
    setState,
    checkRunJson,
  });

  /** Answers a request under /repos/:owner/:repo/: the issue and activity routes, then the route table. */
  async function route(
    method: string,
    path: string,
    query: URLSearchParams,
    body: Record<string, unknown>,
  ): Promise<Reply> {
    const m = /^\/repos\/([^/]+)\/([^/]+)\/(.+)$/.exec(path);
    if (!m) return notFound();
    const [owner, repo, rest] = [decodeURIComponent(m[1]!), decodeURIComponent(m[2]!), m[3]!];
    const issueReply =
      issueStore.route(method, owner, repo, rest, query, body) ?? activity.route(method, owner, repo, rest);
    if (issueReply) return issueReply;
    const found = matchRoute(routes, method, rest);
    return found ? found.route.handle({ owner, repo, params: found.params, query, body }) : notFound();
  }

  function checkRunJson(owner: string, repo: string, sha: string, r: FakeCheckRun) {
    const pulls = store.list(owner, repo).filter((p) => p.headSha === sha && p.state === 'open');
    return {
      head_sha: sha,
      output: { title: null, summary: null, text: null },
      ...r,
      pull_requests: pulls.map((p) => ({ number: p.number, head: { ref: p.head, sha: p.headSha } })),
    };
  }

  function send(res: ServerResponse, reply: Reply) {
    res.writeHead(reply.status, { 'content-type': 'application/json; charset=utf-8', ...reply.headers });
    res.end(typeof reply.body === 'string' ? reply.body : JSON.stringify(reply.body));
  }

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const parsed = new URL(req.url ?? '/', 'http://fake');
    const text = (await readBody(req)).toString('utf8');
    let body: Record<string, unknown> | null = {};
    try {
      body = text ? (JSON.parse(text) as Record<string, unknown>) : {};
    } catch {
      body = null;
    }
    requests.push({
      method: req.method ?? 'GET',
      path: parsed.pathname,
      query: Object.fromEntries(parsed.searchParams),
      headers: req.headers,
      body: body === null ? text : text ? body : undefined,
    });
    if (body === null) return send(res, json(400, { message: 'Problems parsing JSON' }));
    const blob = activity.blob(parsed.pathname);
    if (blob) return send(res, blob);
    const auth = /^(?:token|bearer) (.+)$/i.exec(req.headers.authorization ?? '');
    if (!auth) return send(res, json(401, { message: 'Requires authentication' }));
    if (!tokens.has(auth[1]!)) return send(res, json(401, { message: 'Bad credentials' }));
    send(res, await route(req.method ?? 'GET', parsed.pathname, parsed.searchParams, body));
  }

  const server = await listen(handle, {
    onFault: (res, error) =>
      res.headersSent ? res.destroy() : send(res, json(500, { message: String(error) })),
  });
  url = server.url;
  return {
    url,
    requests,
    pulls: store.pulls,
    merge: (owner, repo, number) => setState(owner, repo, number, true),
    close: (owner, repo, number) => setState(owner, repo, number, false),
    setStatus: store.setStatus,
    addCheckRun(owner, repo, sha, { log, ...run }) {
      const stored = store.addCheckRun(owner, repo, sha, run);
      if (log !== undefined) activity.setLog(stored.id, log);
      return stored;
    },
    checkRunJson,
    addReviewComment: activity.addReviewComment,
    reviewCommentJson: activity.reviewJson,
    addComment: issueStore.addComment,
    commentJson: issueStore.commentJson,
    pullJson(owner, repo, number) {
      const pull = store.find(owner, repo, number);
      if (!pull) throw new Error(`no pull request ${owner}/${repo}#${number}`);
      return store.toJson(pull);
    },
    issues: issueStore.issues,
    addIssue: issueStore.add,
    issueJson: issueStore.toJson,
    comments: issueStore.comments,
    stop: server.close,
  };
}
