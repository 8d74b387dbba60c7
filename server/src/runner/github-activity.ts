/**
 * What happens on a pull request, through Octokit: its review comments on lines, the comments of its
 * conversation, its head, and the failed check runs of that head with the tail of each one's log (the
 * Actions job log when GitHub has one, else the check's own output text). Also the same shapes read
 * from a webhook's payload. The API base URL is configurable like the pull requests'.
 */
import { isFailedCheck, logTail, type AutofixItem } from '../domain/pr-autofix.js';
import type { GitHubRepo } from './github.js';
import { githubRequest, lazyOctokit } from './octokit.js';

type RawComment = {
  id: number;
  body?: string | null;
  user?: { login?: string } | null;
  path?: string;
  line?: number | null;
  original_line?: number | null;
  created_at?: string;
};

export type RawCheckRun = {
  id: number;
  name: string;
  status?: string;
  conclusion?: string | null;
  completed_at?: string | null;
  output?: { title?: string | null; summary?: string | null; text?: string | null } | null;
};

/** A review comment on a line (REST or webhook JSON) as an item. */
export const reviewCommentItem = (c: RawComment): AutofixItem => ({
  kind: 'review_comment',
  id: String(c.id),
  author: c.user?.login ?? null,
  path: c.path ?? null,
  line: c.line ?? c.original_line ?? null,
  name: null,
  body: c.body ?? '',
  at: c.created_at ?? null,
});

/** A comment of the pull request's conversation as an item. */
export const issueCommentItem = (c: RawComment): AutofixItem => ({
  kind: 'issue_comment',
  id: String(c.id),
  author: c.user?.login ?? null,
  path: null,
  line: null,
  name: null,
  body: c.body ?? '',
  at: c.created_at ?? null,
});

/** A check run's own output (title, summary, text) as text. */
export function checkOutput(run: RawCheckRun): string {
  const o = run.output;
  return [o?.title, o?.summary, o?.text].filter((s): s is string => !!s?.trim()).join('\n\n');
}

/** A failed check run as an item, with `log` (its log or output) cut to its tail. */
export const checkRunItem = (run: RawCheckRun, log: string): AutofixItem => ({
  kind: 'check_run',
  id: String(run.id),
  author: null,
  path: null,
  line: null,
  name: run.name,
  body: logTail(log || `(no log or output; conclusion: ${run.conclusion ?? 'unknown'})`),
  at: run.completed_at ?? null,
});

export function createGitHubActivity(opts: { token: string; baseUrl?: string }) {
  const octokit = lazyOctokit(opts);
  const request = githubRequest;

  /** The job log of an Actions check run (the check run's id is its job's); null when there is none. */
  async function jobLog(r: GitHubRepo, id: number): Promise<string | null> {
    try {
      const { data } = await (
        await octokit()
      ).rest.actions.downloadJobLogsForWorkflowRun({ ...r, job_id: id, request: request() });
      return typeof data === 'string' ? data : null;
    } catch {
      return null;
    }
  }

  return {
    /** The review comments on lines and the conversation's comments of pull request `number`. */
    async comments(r: GitHubRepo, number: number): Promise<AutofixItem[]> {
      const api = (await octokit()).rest;
      const [review, conversation] = await Promise.all([
        api.pulls.listReviewComments({ ...r, pull_number: number, per_page: 100, request: request() }),
        api.issues.listComments({ ...r, issue_number: number, per_page: 100, request: request() }),
      ]);
      return [
        ...review.data.map((c) => reviewCommentItem(c as RawComment)),
        ...conversation.data.map((c) => issueCommentItem(c as RawComment)),
      ];
    },

    async headSha(r: GitHubRepo, number: number): Promise<string> {
      const { data } = await (
        await octokit()
      ).rest.pulls.get({ ...r, pull_number: number, request: request() });
      return data.head.sha;
    },

    /** The failed, completed check runs of `ref` (but those `seen`), each with its log tail. */
    async failedChecks(
      r: GitHubRepo,
      ref: string,
      seen: (id: string) => boolean = () => false,
    ): Promise<AutofixItem[]> {
      const { data } = await (
        await octokit()
      ).rest.checks.listForRef({ ...r, ref, per_page: 100, request: request() });
      const failed = (data.check_runs as RawCheckRun[]).filter(
        (c) => c.status === 'completed' && isFailedCheck(c.conclusion) && !seen(String(c.id)),
      );
      return Promise.all(failed.map(async (c) => this.checkItem(r, c)));
    },

    /** A failed check run as an item: its job log's tail, else its output. */
    async checkItem(r: GitHubRepo, run: RawCheckRun): Promise<AutofixItem> {
      return checkRunItem(run, (await jobLog(r, run.id)) ?? checkOutput(run));
    },
  };
}

export type GitHubActivity = ReturnType<typeof createGitHubActivity>;

/** What a webhook delivery says happened on pull requests (the items, or the check runs to read). */
export interface AutofixEvent {
  /** `owner/repo`. */
  repo: string;
  /** The pull requests it concerns. */
  numbers: number[];
  /** The commit a check ran on (to find a pull request the payload does not name). */
  headSha: string | null;
  items: AutofixItem[];
  /** Failed check runs of a `check_run` event (their log is read through the API). */
  checkRuns: RawCheckRun[];
  /** A failed `check_suite`: its check runs are listed through the API. */
  suiteFailed: boolean;
}

type Payload = {
  action?: string;
  repository?: { full_name?: string };
  comment?: RawComment;
  pull_request?: { number?: number };
  issue?: { number?: number; pull_request?: unknown };
  check_run?: RawCheckRun & { head_sha?: string; pull_requests?: { number?: number }[] };
  check_suite?: { conclusion?: string | null; head_sha?: string; pull_requests?: { number?: number }[] };
};

const numbersOf = (list: { number?: number }[] | undefined) =>
  (list ?? []).map((p) => p.number).filter((n): n is number => typeof n === 'number');

/**
 * Reads the events that concern a pull request's author: a new review comment on a line
 * (`pull_request_review_comment`), a new comment on a pull request's conversation (`issue_comment` on an
 * issue that is a pull request), a completed check run or check suite that failed. Anything else → null.
 */
export function readAutofixEvent(event: string, raw: unknown): AutofixEvent | null {
  const p = (raw ?? {}) as Payload;
  const base = {
    repo: p.repository?.full_name ?? '',
    headSha: null,
    items: [],
    checkRuns: [],
    suiteFailed: false,
  };
  if (
    event === 'pull_request_review_comment' &&
    p.action === 'created' &&
    p.comment &&
    p.pull_request?.number
  )
    return { ...base, numbers: [p.pull_request.number], items: [reviewCommentItem(p.comment)] };
  if (
    event === 'issue_comment' &&
    p.action === 'created' &&
    p.comment &&
    p.issue?.pull_request &&
    p.issue.number
  )
    return { ...base, numbers: [p.issue.number], items: [issueCommentItem(p.comment)] };
  const run = p.check_run;
  if (event === 'check_run' && p.action === 'completed' && run && isFailedCheck(run.conclusion))
    return {
      ...base,
      numbers: numbersOf(run.pull_requests),
      headSha: run.head_sha ?? null,
      checkRuns: [run],
    };
  const suite = p.check_suite;
  if (event === 'check_suite' && p.action === 'completed' && suite && isFailedCheck(suite.conclusion))
    return {
      ...base,
      numbers: numbersOf(suite.pull_requests),
      headSha: suite.head_sha ?? null,
      suiteFailed: true,
    };
  return null;
}
