/**
 * The fake GitHub's issues: issues with labels and comments per repository, the REST routes Octokit calls
 * for them (list by label and state, read, list and create comments), shaped like GitHub's JSON.
 */

export interface FakeIssue {
  owner: string;
  repo: string;
  /** GitHub's global id (what a webhook and the REST API both carry). */
  id: number;
  number: number;
  title: string;
  body: string;
  labels: string[];
  state: 'open' | 'closed';
  user: string;
  createdAt: string;
}

export interface FakeComment {
  id: number;
  owner: string;
  repo: string;
  issueNumber: number;
  body: string;
  user: string;
  createdAt: string;
}

type Reply = { status: number; body: unknown };
const key = (owner: string, repo: string) => `${owner}/${repo}`.toLowerCase();

/**
 * `isPull(owner, repo, number)`: whether a pull request has that number (its conversation's comments are
 * served on the issue routes, as GitHub does).
 */
export function createIssueStore(
  htmlBase: () => string,
  isPull: (owner: string, repo: string, number: number) => boolean = () => false,
) {
  const issues: FakeIssue[] = [];
  const comments: FakeComment[] = [];
  const next = new Map<string, number>();
  let nextId = 5000;

  const find = (owner: string, repo: string, number: number) =>
    issues.find((i) => key(i.owner, i.repo) === key(owner, repo) && i.number === number);

  function toJson(i: FakeIssue) {
    return {
      id: i.id,
      node_id: `I_${i.id}`,
      number: i.number,
      title: i.title,
      body: i.body,
      state: i.state,
      html_url: `${htmlBase()}/${i.owner}/${i.repo}/issues/${i.number}`,
      url: `${htmlBase()}/repos/${i.owner}/${i.repo}/issues/${i.number}`,
      labels: i.labels.map((name, n) => ({ id: n + 1, name })),
      user: { login: i.user },
      created_at: i.createdAt,
      updated_at: i.createdAt,
    };
  }

  const commentJson = (c: FakeComment) => ({
    id: c.id,
    body: c.body,
    user: { login: c.user, type: 'User' },
    html_url: `${htmlBase()}/${c.owner}/${c.repo}/issues/${c.issueNumber}#issuecomment-${c.id}`,
    created_at: c.createdAt,
  });

  /** The issue a comment route names: an issue, or the conversation of a pull request. */
  const target = (owner: string, repo: string, number: number) =>
    find(owner, repo, number) ?? (isPull(owner, repo, number) ? { owner, repo, number } : undefined);

  function addComment(owner: string, repo: string, number: number, body: string, user: string): FakeComment {
    nextId += 1;
    const comment: FakeComment = {
      id: nextId,
      owner,
      repo,
      issueNumber: number,
      body,
      user,
      createdAt: new Date().toISOString(),
    };
    comments.push(comment);
    return comment;
  }

  return {
    issues,
    comments,
    toJson,
    commentJson,
    /** Someone's comment on an issue or on a pull request's conversation. */
    addComment: (owner: string, repo: string, number: number, c: { body: string; user?: string }) =>
      addComment(owner, repo, number, c.body, c.user ?? 'octocat'),
    /** Opens an issue (numbers follow each other per repository). */
    add(i: {
      owner: string;
      repo: string;
      title: string;
      body?: string;
      labels?: string[];
      user?: string;
    }): FakeIssue {
      const number = (next.get(key(i.owner, i.repo)) ?? 0) + 1;
      next.set(key(i.owner, i.repo), number);
      nextId += 1;
      const issue: FakeIssue = {
        owner: i.owner,
        repo: i.repo,
        id: nextId,
        number,
        title: i.title,
        body: i.body ?? '',
        labels: i.labels ?? [],
        state: 'open',
        user: i.user ?? 'octocat',
        createdAt: new Date().toISOString(),
      };
      issues.push(issue);
      return issue;
    },
    find,
    /** Answers the issue routes (`rest` is the path after /repos/:o/:r/), or null when not one of them. */
    route(
      method: string,
      owner: string,
      repo: string,
      rest: string,
      query: URLSearchParams,
      body: Record<string, unknown>,
    ): Reply | null {
      if (rest === 'issues' && method === 'GET') {
        const state = query.get('state') ?? 'open';
        const wanted = (query.get('labels') ?? '').split(',').filter(Boolean);
        const list = issues.filter(
          (i) =>
            key(i.owner, i.repo) === key(owner, repo) &&
            (state === 'all' || i.state === state) &&
            wanted.every((l) => i.labels.includes(l)),
        );
        return { status: 200, body: list.map(toJson) };
      }
      const one = /^issues\/(\d+)(\/comments)?$/.exec(rest);
      if (!one) return null;
      const issue = target(owner, repo, Number(one[1]));
      if (!issue) return { status: 404, body: { message: 'Not Found' } };
      if (!one[2]) return method === 'GET' && 'id' in issue ? { status: 200, body: toJson(issue) } : null;
      if (method === 'GET')
        return {
          status: 200,
          body: comments
            .filter((c) => c.issueNumber === issue.number && key(c.owner, c.repo) === key(owner, repo))
            .map(commentJson),
        };
      if (method !== 'POST') return null;
      if (typeof body.body !== 'string' || !body.body.trim())
        return {
          status: 422,
          body: { message: 'Validation Failed', errors: [{ field: 'body', code: 'missing_field' }] },
        };
      return {
        status: 201,
        body: commentJson(addComment(issue.owner, issue.repo, issue.number, body.body, 'gluon-bot')),
      };
    },
  };
}

export type FakeIssueStore = ReturnType<typeof createIssueStore>;
