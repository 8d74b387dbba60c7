/**
 * Pull requests that fix themselves (opt-in per project: `prAutofix`, with a cost cap per pull request).
 * New review comments, comments and failed checks on a task's open pull request — seen by polling or by
 * the signed webhook, whichever comes first, and each only once (their ids are remembered) — resume the
 * task's agent as one batch; `@gluon <instruction>` does the same with the instruction. A batch that
 * arrives while the task runs waits for the run's end; one past the cap is refused, saying so in the
 * task's stream. Each auto-resume's run carries its trigger for History.
 */
import {
  autofixGate,
  autofixPrompt,
  autofixSettingsOf,
  batchTrigger,
  countsForAutofix,
  itemKey,
  type AutofixItem,
} from '../domain/pr-autofix.js';
import { AppError } from '../errors.js';
import { newId, nowIso } from '../ids.js';
import {
  checkOutput,
  checkRunItem,
  createGitHubActivity,
  readAutofixEvent,
  type AutofixEvent,
  type GitHubActivity,
} from '../runner/github-activity.js';
import type { GitHubRepo } from '../runner/github.js';
import type { Storage } from '../storage/index.js';
import type { OpenPullRequest, PrAutofixRepo } from '../storage/pr-autofix-repo.js';
import type { PullRequestsRepo } from '../storage/pull-requests-repo.js';
import type { EventLog } from './event-log.js';
import type { GitHubSettings } from './pull-requests.js';
import type { Tasks } from './tasks.js';
import { repeatEvery } from './repeat.js';

export interface PrAutofixDeps {
  storage: Storage;
  repo: PrAutofixRepo;
  gitRepo: Pick<PullRequestsRepo, 'get'>;
  tasks: Pick<Tasks, 'resume'>;
  events: Pick<EventLog, 'emit' | 'subscribe'>;
  github: GitHubSettings;
  redactText: (text: string) => string;
  log: (msg: string, err?: unknown) => void;
}

const splitRepo = (name: string): GitHubRepo => {
  const [owner = '', repo = ''] = name.split('/');
  return { owner, repo };
};

export function createPrAutofix(deps: PrAutofixDeps) {
  const { repo, storage, events } = deps;
  const chains = new Map<string, Promise<void>>();
  const client = (): GitHubActivity | null =>
    deps.github.token
      ? createGitHubActivity({ token: deps.github.token, baseUrl: deps.github.apiUrl ?? undefined })
      : null;
  const notice = (taskId: string, message: string) =>
    events.emit(taskId, { type: 'notice', data: { message } });

  /** One pass at a time per task (a poll and a webhook at once), in this process; the claims guard the rest. */
  function serial(taskId: string, work: () => Promise<void>): Promise<void> {
    const next = (chains.get(taskId) ?? Promise.resolve()).then(work);
    const done = next.catch(() => undefined);
    chains.set(taskId, done);
    done
      .then(() => {
        if (chains.get(taskId) === done) chains.delete(taskId);
      })
      .catch((err: unknown) => deps.log('pull request autofix bookkeeping failed', err));
    return next;
  }

  const settingsFor = async (projectId: string) =>
    autofixSettingsOf((await storage.projects.findById(projectId))?.settings);

  /**
   * Resumes the task's agent with what waits on its pull request, or says why not.
   * Rules: see `autofixGate`; `fresh` (items just seen) is announced once when they must wait; the batch
   * takes every waiting item (one guarded claim); a resume refused because the task started meanwhile
   * gives the items back for after that run.
   */
  async function pass(taskId: string, fresh: readonly AutofixItem[]): Promise<void> {
    if (!(await repo.hasPending(taskId))) return;
    const task = await storage.tasks.findById(taskId);
    const pr = (await deps.gitRepo.get(taskId))?.pr;
    if (!task || !pr || pr.state !== 'open') return;
    const settings = autofixSettingsOf((await storage.projects.findById(task.projectId))?.settings);
    const spentUsd = await repo.spent(taskId, pr.number);
    const gate = autofixGate({ ...settings, spentUsd, taskStatus: task.status });
    if (gate.action === 'off') return;
    if (gate.action === 'wait') {
      if (fresh.length)
        await notice(
          taskId,
          `pull request #${pr.number}: ${batchTrigger(fresh)}; the agent resumes once the task stops`,
        );
      return;
    }
    const batch = {
      id: newId(),
      taskId,
      prNumber: pr.number,
      trigger: '',
      outcome: gate.action === 'cap' ? ('refused' as const) : ('resumed' as const),
      reason: gate.action === 'cap' ? gate.reason : null,
      runId: null,
      createdAt: nowIso(),
    };
    const items = await repo.claim(batch, gate.action === 'cap' ? 'refused' : 'sent');
    if (items.length === 0) return;
    const trigger = batchTrigger(items);
    await repo.describe(batch.id, trigger, pr.number);
    if (gate.action === 'cap')
      return void (await notice(
        taskId,
        `pull request #${pr.number}: not resuming the agent for ${trigger}: ${gate.reason}`,
      ));
    try {
      await deps.tasks.resume(taskId, autofixPrompt(pr.number, items));
    } catch (err) {
      if (err instanceof AppError && err.code === 'task_active') return repo.release(batch.id);
      const reason = (err as Error).message;
      await repo.refuse(batch.id, reason);
      return void (await notice(
        taskId,
        `pull request #${pr.number}: could not resume the agent for ${trigger}: ${reason}`,
      ));
    }
    await notice(taskId, `pull request #${pr.number}: resumed the agent for ${trigger}`);
  }

  /**
   * Remembers what was seen on a pull request (redacted) and lets the new part resume the agent.
   * Rules: nothing while the project's autofix is off; what was written before it was turned on is left.
   */
  async function ingest(pr: OpenPullRequest, items: readonly AutofixItem[]): Promise<number> {
    const settings = await settingsFor(pr.projectId);
    const counted = items.filter((i) => countsForAutofix(i, settings.since));
    if (counted.length === 0 || !settings.enabled) return 0;
    const redacted = counted.map((i) => ({
      ...i,
      author: i.author === null ? null : deps.redactText(i.author),
      body: deps.redactText(i.body),
    }));
    let fresh: AutofixItem[] = [];
    await serial(pr.taskId, async () => {
      fresh = await repo.record(pr.taskId, pr.number, redacted, nowIso());
      if (fresh.length) await pass(pr.taskId, fresh);
    });
    return fresh.length;
  }

  /** The pull requests a webhook's event is about: by number, else by the head commit. */
  async function targetsOf(e: AutofixEvent): Promise<OpenPullRequest[]> {
    const same = (a: string) => a.toLowerCase() === e.repo.toLowerCase();
    const open = (await repo.openPullRequests()).filter((p) => same(p.repo));
    const byNumber = open.filter((p) => e.numbers.includes(p.number));
    return byNumber.length || !e.headSha ? byNumber : open.filter((p) => p.headSha === e.headSha);
  }

  async function itemsOf(e: AutofixEvent, pr: OpenPullRequest): Promise<AutofixItem[]> {
    const gh = client();
    const where = splitRepo(pr.repo);
    if (e.suiteFailed) {
      if (!gh || !e.headSha) return [];
      const seen = await repo.seenKeys(pr.taskId);
      return gh.failedChecks(where, e.headSha, (id) => seen.has(itemKey({ kind: 'check_run', id })));
    }
    const checks = await Promise.all(
      e.checkRuns.map((run) => (gh ? gh.checkItem(where, run) : checkRunItem(run, checkOutput(run)))),
    );
    return [...e.items, ...checks];
  }

  /** Looks at one open pull request: its comments and the failed checks of its head. */
  async function pollPullRequest(gh: GitHubActivity, pr: OpenPullRequest): Promise<void> {
    const where = splitRepo(pr.repo);
    const seen = await repo.seenKeys(pr.taskId);
    const comments = await gh.comments(where, pr.number);
    const head = await gh.headSha(where, pr.number);
    const checks = await gh.failedChecks(where, head, (id) => seen.has(itemKey({ kind: 'check_run', id })));
    await ingest(
      pr,
      [...comments, ...checks].filter((i) => !seen.has(itemKey(i))),
    );
  }

  const unsubscribe = events.subscribe(
    (e) => {
      if (e.type === 'run.started')
        repo.attachRun(e.taskId, e.data.runId).catch((err) => deps.log('linking an autofix run failed', err));
      else if (e.type === 'status.changed' && (e.data.to === 'review' || e.data.to === 'failed'))
        serial(e.taskId, () => pass(e.taskId, [])).catch((err) =>
          deps.log('resuming a task for its pull request failed', err),
        );
    },
    { remote: true },
  );

  let stopPolling: (() => void) | null = null;
  const service = {
    /** Handles a verified webhook delivery of an autofix event; null when the event is not one. */
    async handleEvent(event: string, payload: unknown): Promise<{ status: number; body: unknown } | null> {
      const e = readAutofixEvent(event, payload);
      if (!e) return null;
      const tasks: string[] = [];
      for (const pr of await targetsOf(e))
        if ((await ingest(pr, await itemsOf(e, pr))) > 0) tasks.push(pr.taskId);
      return { status: 202, body: { autofix: tasks } };
    },
    /** Looks at every open pull request of a project with autofix on, then at batches left waiting. */
    async pollOnce(): Promise<void> {
      const gh = client();
      if (gh)
        for (const pr of await repo.openPullRequests()) {
          if (!(await settingsFor(pr.projectId)).enabled) continue;
          await pollPullRequest(gh, pr).catch((err) =>
            deps.log(`polling pull request ${pr.repo}#${pr.number} for autofix failed`, err),
          );
        }
      for (const taskId of await repo.tasksWithPending()) await serial(taskId, () => pass(taskId, []));
    },
    /** The trigger of each auto-resumed run of a task, by run id (History shows it). */
    async triggers(taskId: string): Promise<Map<string, string>> {
      const batches = await repo.batches(taskId);
      return new Map(batches.flatMap((b) => (b.runId ? [[b.runId, b.trigger] as const] : [])));
    },
    /** Polls every `intervalMs` (0: never, the webhook only) until `stop`. */
    start(intervalMs: number): void {
      stopPolling ??= repeatEvery(
        intervalMs,
        () => service.pollOnce(),
        (err) => deps.log('polling pull requests for autofix failed', err),
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

export type PrAutofix = ReturnType<typeof createPrAutofix>;
