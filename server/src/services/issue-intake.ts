/**
 * GitHub issues that become tasks. A project names a label (`issueLabel`); an open issue of its GitHub
 * repository that carries it becomes one task — through the signed webhook or through polling, whichever
 * comes first, and never twice (the link is keyed by GitHub's issue id, in the database). Gluon then says
 * on the issue when the task is ready for review and when its pull request opens, once each.
 */
import type { IncomingHttpHeaders } from 'node:http';
import { resolveGitHubRepo, type GitHubRepo } from '../runner/github.js';
import {
  createGitHubIssues,
  toIssueInfo,
  verifyWebhookSignature,
  type IssueInfo,
} from '../runner/github-issues.js';
import { nowIso } from '../ids.js';
import type { Storage } from '../storage/index.js';
import type { IssueTasksRepo } from '../storage/issue-tasks-repo.js';
import type { ProjectRecord } from '../storage/projects-repo.js';
import type { PullRequestsRepo } from '../storage/pull-requests-repo.js';
import type { TaskRecord } from '../storage/tasks-repo.js';
import type { EventLog } from './event-log.js';
import type { GitHubSettings } from './pull-requests.js';
import type { Tasks } from './tasks.js';
import { composeIssuePrompt, prComment, reviewComment } from './issue-text.js';
import { repeatEvery } from './repeat.js';

export interface IssueIntakeDeps {
  storage: Storage;
  repo: IssueTasksRepo;
  gitRepo: Pick<PullRequestsRepo, 'get'>;
  tasks: Pick<Tasks, 'create' | 'cancel'>;
  events: Pick<EventLog, 'emit' | 'subscribe'>;
  github: GitHubSettings;
  /** The webhook's secret; without one the webhook answers 404 (polling still works). */
  webhookSecret: string | null;
  redactText: (text: string) => string;
  log: (msg: string, err?: unknown) => void;
  /** Other verified events of the same webhook (pull requests that fix themselves); null: not theirs. */
  otherEvents?: (event: string, payload: unknown) => Promise<WebhookAnswer | null>;
}

export interface WebhookAnswer {
  status: number;
  body: unknown;
}

const ACTIONS = new Set(['opened', 'labeled', 'reopened']);
const sameRepo = (a: GitHubRepo, b: GitHubRepo) =>
  a.owner.toLowerCase() === b.owner.toLowerCase() && a.repo.toLowerCase() === b.repo.toLowerCase();
const labelOf = (p: ProjectRecord) =>
  typeof p.settings.issueLabel === 'string' ? p.settings.issueLabel : null;

export function createIssueIntake(deps: IssueIntakeDeps) {
  const { repo, storage } = deps;
  const inFlight = new Map<string, Promise<TaskRecord | null>>();
  const client = () =>
    deps.github.token
      ? createGitHubIssues({ token: deps.github.token, baseUrl: deps.github.apiUrl ?? undefined })
      : null;

  /** Projects that take issues: a label, and a GitHub repository. */
  async function intakeProjects(): Promise<{ project: ProjectRecord; where: GitHubRepo; label: string }[]> {
    const out = [];
    for (const project of await storage.projects.list()) {
      const label = labelOf(project);
      const where = resolveGitHubRepo(project);
      if (label && where) out.push({ project, where, label });
    }
    return out;
  }

  /**
   * Makes the task of an issue, unless it has one.
   * Rules: only open issues (not pull requests) that carry the project's label; one task per issue id,
   * also when a webhook and a poll race (in this process: one at a time per issue; across processes: the
   * link's key decides, and the loser cancels the task it made).
   */
  async function accept(project: ProjectRecord, where: GitHubRepo, label: string, issue: IssueInfo) {
    if (issue.state !== 'open' || issue.isPullRequest || !issue.labels.includes(label)) return null;
    const running = inFlight.get(issue.id);
    if (running) return running;
    const work = (async () => {
      if (await repo.findByIssue(issue.id)) return null;
      const text = composeIssuePrompt(where, issue);
      const task = await deps.tasks.create({ project: project.id, prompt: text.prompt, title: text.title });
      const linked = await repo.insert({
        issueId: issue.id,
        taskId: task.id,
        projectId: project.id,
        repo: `${where.owner}/${where.repo}`,
        number: issue.number,
        url: issue.url,
        reviewCommented: false,
        prCommented: null,
        createdAt: nowIso(),
      });
      if (!linked) {
        await deps.tasks
          .cancel(task.id)
          .catch((err) => deps.log('cancelling a duplicate issue task failed', err));
        return null;
      }
      await deps.events.emit(task.id, {
        type: 'notice',
        data: { message: `from GitHub issue ${where.owner}/${where.repo}#${issue.number}: ${issue.url}` },
      });
      return task;
    })().finally(() => inFlight.delete(issue.id));
    inFlight.set(issue.id, work);
    return work;
  }

  /** Comments on the issue of `taskId` (if any) once it is in review, and once per pull request opened. */
  async function speakUp(taskId: string, toReview: boolean): Promise<void> {
    const link = await repo.findByTask(taskId);
    const gh = link && client();
    if (!link || !gh) return;
    const [owner = '', name = ''] = link.repo.split('/');
    const where = { owner, repo: name };
    const task = await storage.tasks.findById(taskId);
    if (!task) return;
    if (toReview && (await repo.claimReviewComment(taskId)))
      await gh.comment(where, link.number, deps.redactText(reviewComment(task)));
    const pr = (await deps.gitRepo.get(taskId))?.pr;
    if (pr && pr.state === 'open' && (await repo.claimPrComment(taskId, pr.number)))
      await gh.comment(where, link.number, deps.redactText(prComment(pr)));
  }

  const unsubscribe = deps.events.subscribe(
    (e) => {
      const toReview = e.type === 'status.changed' && e.data.to === 'review';
      // Without a GitHub token there is nobody to tell (and no read of the store for every notice).
      if ((!toReview && e.type !== 'notice') || !deps.github.token) return;
      speakUp(e.taskId, toReview).catch((err) => deps.log('commenting on a GitHub issue failed', err));
    },
    { remote: true },
  );

  let stopPolling: (() => void) | null = null;
  const service = {
    /**
     * Handles one webhook delivery: verified on the raw body before anything is parsed; `issues` events
     * are this service's, the others go to `otherEvents`.
     */
    async handleWebhook(req: { rawBody: Buffer; headers: IncomingHttpHeaders }): Promise<WebhookAnswer> {
      const secret = deps.webhookSecret;
      if (!secret)
        return {
          status: 404,
          body: { error: { code: 'not_found', message: 'no GitHub webhook secret is configured' } },
        };
      const signature = req.headers['x-hub-signature-256'];
      if (!verifyWebhookSignature(secret, req.rawBody, typeof signature === 'string' ? signature : undefined))
        return {
          status: 401,
          body: { error: { code: 'invalid_signature', message: 'bad X-Hub-Signature-256' } },
        };
      let payload: { action?: string; issue?: unknown; repository?: { full_name?: string } };
      try {
        payload = JSON.parse(req.rawBody.toString('utf8')) as typeof payload;
      } catch {
        return { status: 400, body: { error: { code: 'invalid_input', message: 'the body is not JSON' } } };
      }
      const event = req.headers['x-github-event'];
      if (event === 'ping') return { status: 200, body: { ok: true } };
      const other = typeof event === 'string' ? await deps.otherEvents?.(event, payload) : null;
      if (other) return other;
      if (event !== 'issues' || !ACTIONS.has(payload.action ?? '') || !payload.issue)
        return { status: 202, body: { ignored: true } };
      const [owner = '', name = ''] = (payload.repository?.full_name ?? '').split('/');
      const issue = toIssueInfo(payload.issue as Parameters<typeof toIssueInfo>[0]);
      const created: string[] = [];
      for (const p of await intakeProjects()) {
        if (!sameRepo(p.where, { owner, repo: name })) continue;
        const task = await accept(p.project, p.where, p.label, issue);
        if (task) created.push(task.id);
      }
      return { status: 202, body: { tasks: created } };
    },
    /** Looks for labelled issues in every intake project once; returns the tasks made. */
    async pollOnce(): Promise<string[]> {
      const gh = client();
      if (!gh) return [];
      const created: string[] = [];
      for (const p of await intakeProjects()) {
        try {
          for (const issue of await gh.listLabelled(p.where, p.label)) {
            const task = await accept(p.project, p.where, p.label, issue);
            if (task) created.push(task.id);
          }
        } catch (error) {
          deps.log(`polling issues of ${p.where.owner}/${p.where.repo} failed`, error);
        }
      }
      return created;
    },
    /** The issue a task came from. */
    async issueOf(taskId: string) {
      const link = await repo.findByTask(taskId);
      return link ? { repo: link.repo, number: link.number, url: link.url } : null;
    },
    /** Polls every `intervalMs` (0: never) until `stop`. */
    start(intervalMs: number): void {
      stopPolling ??= repeatEvery(
        intervalMs,
        () => service.pollOnce(),
        (err) => deps.log('polling GitHub issues failed', err),
      );
    },
    stop(): void {
      stopPolling?.();
      stopPolling = null;
      unsubscribe();
    },
  };
  return service;
}

export type IssueIntake = ReturnType<typeof createIssueIntake>;
