/**
 * GitHub issues through Octokit: the open issues of a repository that carry a label (pull requests,
 * which the issues API also lists, left out) and a comment on an issue. The API base URL is configurable
 * like the pull requests' (GitHub Enterprise, the fake GitHub in tests).
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { GitHubRepo } from './github.js';
import { githubRequest, lazyOctokit } from './octokit.js';

/** What Gluon reads of an issue (from the REST API or from a webhook's `issue`). */
export interface IssueInfo {
  /** GitHub's global id: the key of the issue's task. */
  id: string;
  number: number;
  title: string;
  body: string;
  url: string;
  state: string;
  labels: string[];
  isPullRequest: boolean;
}

type RawIssue = {
  id: number;
  number: number;
  title: string;
  body?: string | null;
  html_url: string;
  state: string;
  labels?: (string | { name?: string })[];
  pull_request?: unknown;
};

/** An issue's JSON (REST or webhook) as an IssueInfo. */
export function toIssueInfo(raw: RawIssue): IssueInfo {
  return {
    id: String(raw.id),
    number: raw.number,
    title: raw.title,
    body: raw.body ?? '',
    url: raw.html_url,
    state: raw.state,
    labels: (raw.labels ?? []).map((l) => (typeof l === 'string' ? l : (l.name ?? ''))).filter(Boolean),
    isPullRequest: raw.pull_request !== undefined && raw.pull_request !== null,
  };
}

/**
 * Whether `signature` (`X-Hub-Signature-256`) is GitHub's HMAC-SHA256 of the raw body under `secret`.
 * Compared in constant time; anything malformed is simply not a match.
 */
export function verifyWebhookSignature(
  secret: string,
  rawBody: Buffer,
  signature: string | undefined,
): boolean {
  if (!signature || !/^sha256=[0-9a-f]{64}$/.test(signature)) return false;
  const expected = createHmac('sha256', secret).update(rawBody).digest();
  return timingSafeEqual(expected, Buffer.from(signature.slice(7), 'hex'));
}

export function createGitHubIssues(opts: { token: string; baseUrl?: string }) {
  const octokit = lazyOctokit(opts);
  const request = githubRequest;
  return {
    /** The open issues of `r` labelled `label` (first 100, newest first), pull requests left out. */
    async listLabelled(r: GitHubRepo, label: string): Promise<IssueInfo[]> {
      const { data } = await (
        await octokit()
      ).rest.issues.listForRepo({
        ...r,
        labels: label,
        state: 'open',
        per_page: 100,
        request: request(),
      });
      return data.map((i) => toIssueInfo(i as RawIssue)).filter((i) => !i.isPullRequest);
    },
    async comment(r: GitHubRepo, number: number, body: string): Promise<void> {
      await (
        await octokit()
      ).rest.issues.createComment({ ...r, issue_number: number, body, request: request() });
    },
  };
}

export type GitHubIssues = ReturnType<typeof createGitHubIssues>;
