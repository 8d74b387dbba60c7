/**
 * The fake GitHub's routes of pull requests and commits (combined status, check runs, new statuses): one
 * handler per endpoint, in a table the server matches by method and path (the path after
 * /repos/:owner/:repo/).
 */
import type { FakeCheckRun, FakePull, FakeStatus, FakeStore } from './store.js';

export type Reply = { status: number; body: unknown; headers?: Record<string, string> };
export const json = (status: number, body: unknown): Reply => ({ status, body });
export const notFound = () =>
  json(404, { message: 'Not Found', documentation_url: 'https://docs.github.com/rest' });
const invalid = (message: string) =>
  json(422, { message: 'Validation Failed', errors: [{ resource: 'PullRequest', code: 'custom', message }] });

/** One request to a repository's route: `params` are the groups its path pattern captured. */
export interface RepoCall {
  owner: string;
  repo: string;
  params: string[];
  query: URLSearchParams;
  body: Record<string, unknown>;
}

export interface RepoRoute {
  method: string;
  path: RegExp;
  handle: (call: RepoCall) => Reply | Promise<Reply>;
}

export interface PullRouteDeps {
  store: FakeStore;
  resolveBranch?: (owner: string, repo: string, branch: string) => Promise<string | null> | string | null;
  /** Lands a merged pull request (the merge commit's sha); without it the head's sha is answered. */
  onMerge?: (pull: FakePull, method: string, sha: string | null) => Promise<string> | string;
  /** Closes a pull request, merged or not. */
  setState: (owner: string, repo: string, number: number, merged: boolean) => void;
  checkRunJson: (owner: string, repo: string, sha: string, run: FakeCheckRun) => unknown;
}

/** The first route whose method and path match, with what its path captured. */
export function matchRoute(routes: readonly RepoRoute[], method: string, rest: string) {
  for (const route of routes) {
    const found = route.method === method ? route.path.exec(rest) : null;
    if (found) return { route, params: found.slice(1) };
  }
  return null;
}

export function pullRoutes(deps: PullRouteDeps): RepoRoute[] {
  const { store } = deps;
  /** A handler of one pull request (`pulls/:n…`): 404 when the repository has no such number. */
  const onPull =
    (handle: (pull: FakePull, call: RepoCall) => Reply | Promise<Reply>) =>
    (call: RepoCall): Reply | Promise<Reply> => {
      const pull = store.find(call.owner, call.repo, Number(call.params[0]));
      return pull ? handle(pull, call) : notFound();
    };

  const listPulls = ({ owner, repo, query }: RepoCall) => {
    const state = query.get('state') ?? 'open';
    const head = query.get('head');
    const list = store
      .list(owner, repo)
      .filter((p) => (state === 'all' || p.state === state) && (!head || `${p.owner}:${p.head}` === head));
    return json(200, list.map(store.toJson));
  };

  const createPull = async ({ owner, repo, body }: RepoCall) => {
    const [head, base, title] = [body.head, body.base, body.title];
    if (typeof head !== 'string' || typeof base !== 'string' || typeof title !== 'string')
      return invalid('head, base and title are required');
    if (store.list(owner, repo).some((p) => p.state === 'open' && p.head === head && p.base === base))
      return invalid(`A pull request already exists for ${owner}:${head}.`);
    const sha = deps.resolveBranch ? await deps.resolveBranch(owner, repo, head) : '0'.repeat(40);
    if (sha === null)
      return json(422, {
        message: 'Validation Failed',
        errors: [{ resource: 'PullRequest', field: 'head', code: 'invalid' }],
      });
    const text = typeof body.body === 'string' ? body.body : '';
    const pull = store.add({ owner, repo, head, headSha: sha, base, title, body: text });
    return json(201, store.toJson(pull));
  };

  const updatePull = onPull((pull, { body }) => {
    if (body.state === 'closed' || body.state === 'open') pull.state = body.state;
    if (typeof body.title === 'string') pull.title = body.title;
    if (typeof body.body === 'string') pull.body = body.body;
    return json(200, store.toJson(pull));
  });

  /** A `sha` other than the head's (by `resolveBranch`) is refused with 409, as GitHub does. */
  const mergePull = onPull(async (pull, { owner, repo, body }) => {
    if (pull.state !== 'open') return json(405, { message: 'Pull Request is not mergeable' });
    const sha = typeof body.sha === 'string' ? body.sha : null;
    const head = deps.resolveBranch ? await deps.resolveBranch(owner, repo, pull.head) : null;
    if (sha && head && sha !== head)
      return json(409, { message: 'Head branch was modified. Review and try the merge again.' });
    const method = typeof body.merge_method === 'string' ? body.merge_method : 'merge';
    const merged = deps.onMerge ? await deps.onMerge(pull, method, sha) : pull.headSha;
    deps.setState(owner, repo, pull.number, true);
    return json(200, { merged: true, sha: merged, message: 'Pull Request successfully merged' });
  });

  const combinedStatus = ({ owner, repo, params }: RepoCall) => {
    const sha = decodeURIComponent(params[0]!);
    const statuses = store.statuses(owner, repo, sha);
    const state = statuses.some((s) => s.state === 'failure' || s.state === 'error')
      ? 'failure'
      : statuses.every((s) => s.state === 'success') && statuses.length
        ? 'success'
        : 'pending';
    return json(200, { state, sha, total_count: statuses.length, statuses });
  };

  const checkRuns = ({ owner, repo, params }: RepoCall) => {
    const sha = decodeURIComponent(params[0]!);
    const runs = store.checkRuns(owner, repo, sha);
    return json(200, {
      total_count: runs.length,
      check_runs: runs.map((r) => deps.checkRunJson(owner, repo, sha, r)),
    });
  };

  const createStatus = ({ owner, repo, params, body }: RepoCall) => {
    store.setStatus(owner, repo, params[0]!, {
      state: body.state as FakeStatus['state'],
      context: String(body.context ?? 'default'),
    });
    return json(201, { state: body.state, context: body.context ?? 'default' });
  };

  return [
    { method: 'GET', path: /^pulls$/, handle: listPulls },
    { method: 'POST', path: /^pulls$/, handle: createPull },
    { method: 'GET', path: /^pulls\/(\d+)$/, handle: onPull((pull) => json(200, store.toJson(pull))) },
    { method: 'PATCH', path: /^pulls\/(\d+)$/, handle: updatePull },
    { method: 'PUT', path: /^pulls\/(\d+)\/merge$/, handle: mergePull },
    { method: 'GET', path: /^commits\/([^/]+)\/status$/, handle: combinedStatus },
    { method: 'GET', path: /^commits\/([^/]+)\/check-runs$/, handle: checkRuns },
    { method: 'POST', path: /^statuses\/([0-9a-f]{40})$/, handle: createStatus },
  ];
}
