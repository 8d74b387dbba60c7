/**
 * The fake GitHub's memory: pull requests, commit statuses and check runs per repository, shaped like the
 * REST API's JSON (only the fields Gluon and Octokit read, plus a few for realism).
 */

export interface FakePull {
  owner: string;
  repo: string;
  number: number;
  title: string;
  body: string;
  head: string;
  headSha: string;
  base: string;
  state: 'open' | 'closed';
  merged: boolean;
  mergedAt: string | null;
  createdAt: string;
}

export interface FakeStatus {
  state: 'pending' | 'success' | 'failure' | 'error';
  context: string;
}

export interface FakeCheckRun {
  /** GitHub's id (given by the store when absent; for Actions, also the job's id). */
  id?: number;
  name: string;
  status: 'queued' | 'in_progress' | 'completed';
  conclusion: 'success' | 'failure' | 'neutral' | 'cancelled' | 'timed_out' | 'skipped' | null;
  output?: { title: string | null; summary: string | null; text: string | null };
  /** Set when it is added completed, unless given. */
  completed_at?: string | null;
}

const key = (owner: string, repo: string) => `${owner}/${repo}`.toLowerCase();

export function createStore(htmlBase: () => string) {
  const pulls: FakePull[] = [];
  const statuses = new Map<string, FakeStatus[]>();
  const checkRuns = new Map<string, FakeCheckRun[]>();
  const next = new Map<string, number>();
  let nextCheckId = 70_000;

  return {
    pulls,
    find(owner: string, repo: string, number: number): FakePull | undefined {
      return pulls.find((p) => key(p.owner, p.repo) === key(owner, repo) && p.number === number);
    },
    list(owner: string, repo: string): FakePull[] {
      return pulls.filter((p) => key(p.owner, p.repo) === key(owner, repo));
    },
    add(p: Omit<FakePull, 'number' | 'state' | 'merged' | 'mergedAt' | 'createdAt'>): FakePull {
      const number = (next.get(key(p.owner, p.repo)) ?? 0) + 1;
      next.set(key(p.owner, p.repo), number);
      const pull: FakePull = {
        ...p,
        number,
        state: 'open',
        merged: false,
        mergedAt: null,
        createdAt: new Date().toISOString(),
      };
      pulls.push(pull);
      return pull;
    },
    /** Replaces the status of `context` on `sha` (GitHub keeps the latest per context). */
    setStatus(owner: string, repo: string, sha: string, status: FakeStatus): void {
      const list = (statuses.get(`${key(owner, repo)}@${sha}`) ?? []).filter(
        (s) => s.context !== status.context,
      );
      statuses.set(`${key(owner, repo)}@${sha}`, [...list, status]);
    },
    statuses: (owner: string, repo: string, sha: string) => statuses.get(`${key(owner, repo)}@${sha}`) ?? [],
    addCheckRun(owner: string, repo: string, sha: string, run: FakeCheckRun): FakeCheckRun & { id: number } {
      const completedAt = run.status === 'completed' ? new Date().toISOString() : null;
      const stored = { completed_at: completedAt, ...run, id: run.id ?? (nextCheckId += 1) };
      checkRuns.set(`${key(owner, repo)}@${sha}`, [
        ...(checkRuns.get(`${key(owner, repo)}@${sha}`) ?? []),
        stored,
      ]);
      return stored;
    },
    checkRuns: (owner: string, repo: string, sha: string) =>
      checkRuns.get(`${key(owner, repo)}@${sha}`) ?? [],
    /** The REST JSON of a pull request. */
    toJson(p: FakePull) {
      const html = `${htmlBase()}/${p.owner}/${p.repo}/pull/${p.number}`;
      return {
        id: 1000 + p.number,
        number: p.number,
        state: p.state,
        title: p.title,
        body: p.body,
        html_url: html,
        url: `${htmlBase()}/repos/${p.owner}/${p.repo}/pulls/${p.number}`,
        draft: false,
        merged: p.merged,
        merged_at: p.mergedAt,
        created_at: p.createdAt,
        updated_at: p.mergedAt ?? p.createdAt,
        user: { login: p.owner },
        head: {
          ref: p.head,
          sha: p.headSha,
          label: `${p.owner}:${p.head}`,
          repo: { full_name: `${p.owner}/${p.repo}` },
        },
        base: { ref: p.base, label: `${p.owner}:${p.base}`, repo: { full_name: `${p.owner}/${p.repo}` } },
      };
    },
  };
}

export type FakeStore = ReturnType<typeof createStore>;
