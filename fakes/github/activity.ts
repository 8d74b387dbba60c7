/**
 * The fake GitHub's pull request activity: review comments on lines (`/pulls/:n/comments`), the job log of
 * a check run (`/actions/jobs/:id/logs`, a redirect to the log as GitHub answers), and the JSON that
 * webhooks carry for them (review comments, conversation comments, check runs).
 */

export interface FakeReviewComment {
  id: number;
  owner: string;
  repo: string;
  pullNumber: number;
  path: string;
  line: number;
  body: string;
  user: string;
  createdAt: string;
}

type Reply = { status: number; body: unknown; headers?: Record<string, string> };
const key = (owner: string, repo: string) => `${owner}/${repo}`.toLowerCase();

export function createActivityStore(htmlBase: () => string, nextId: () => number) {
  const reviewComments: FakeReviewComment[] = [];
  /** Job logs by check run id. */
  const logs = new Map<number, string>();

  const reviewJson = (c: FakeReviewComment) => ({
    id: c.id,
    node_id: `PRRC_${c.id}`,
    pull_request_review_id: c.id + 1,
    path: c.path,
    line: c.line,
    original_line: c.line,
    side: 'RIGHT',
    body: c.body,
    user: { login: c.user, type: 'User' },
    html_url: `${htmlBase()}/${c.owner}/${c.repo}/pull/${c.pullNumber}#discussion_r${c.id}`,
    created_at: c.createdAt,
    updated_at: c.createdAt,
  });

  return {
    reviewComments,
    reviewJson,
    /** A reviewer's comment on a line of a pull request. */
    addReviewComment(
      owner: string,
      repo: string,
      pullNumber: number,
      c: { path: string; line: number; body: string; user?: string },
    ): FakeReviewComment {
      const comment: FakeReviewComment = {
        id: nextId(),
        owner,
        repo,
        pullNumber,
        path: c.path,
        line: c.line,
        body: c.body,
        user: c.user ?? 'octocat',
        createdAt: new Date().toISOString(),
      };
      reviewComments.push(comment);
      return comment;
    },
    setLog: (checkRunId: number, log: string) => logs.set(checkRunId, log),
    /** The log itself, where the redirect points (no token needed, like GitHub's signed blob URLs). */
    blob(path: string): Reply | null {
      const m = /^\/_blobs\/logs\/(\d+)$/.exec(path);
      if (!m) return null;
      const log = logs.get(Number(m[1]));
      return log === undefined
        ? { status: 404, body: { message: 'Not Found' } }
        : { status: 200, body: log, headers: { 'content-type': 'text/plain; charset=utf-8' } };
    },
    /** Answers the activity routes (`rest` is the path after /repos/:o/:r/), or null when not one of them. */
    route(method: string, owner: string, repo: string, rest: string): Reply | null {
      const comments = /^pulls\/(\d+)\/comments$/.exec(rest);
      if (comments && method === 'GET')
        return {
          status: 200,
          body: reviewComments
            .filter((c) => key(c.owner, c.repo) === key(owner, repo) && c.pullNumber === Number(comments[1]))
            .map(reviewJson),
        };
      const job = /^actions\/jobs\/(\d+)\/logs$/.exec(rest);
      if (job && method === 'GET')
        return logs.has(Number(job[1]))
          ? { status: 302, body: '', headers: { location: `${htmlBase()}/_blobs/logs/${job[1]}` } }
          : { status: 404, body: { message: 'Not Found' } };
      return null;
    },
  };
}

export type FakeActivityStore = ReturnType<typeof createActivityStore>;
