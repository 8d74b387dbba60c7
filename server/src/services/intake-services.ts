/**
 * The services of work that arrives by itself and of push notifications, composed over the core ones:
 * schedules, GitHub issues that become tasks (and the comments on them), pull requests that fix
 * themselves, and Web Push.
 */
import type { TaskOriginDto } from '../../../shared/intake-api.js';
import type { Config } from '../config.js';
import { createIssueTasksRepo } from '../storage/issue-tasks-repo.js';
import type { PullRequestsRepo } from '../storage/pull-requests-repo.js';
import { createPushSubscriptionsRepo } from '../storage/push-subscriptions-repo.js';
import { createSchedulesRepo } from '../storage/schedules-repo.js';
import type { Storage } from '../storage/index.js';
import type { EventLog } from './event-log.js';
import { createIssueIntake } from './issue-intake.js';
import { createPrAutofix } from './pr-autofix.js';
import { createPrAutofixRepo } from '../storage/pr-autofix-repo.js';
import { githubSettingsFrom } from './pull-requests.js';
import { createPush } from './push.js';
import type { Projects } from './projects.js';
import { createSchedules } from './schedules.js';
import type { Tasks } from './tasks.js';

export interface IntakeDeps {
  config: Config;
  storage: Storage;
  events: EventLog;
  projects: Projects;
  tasks: Tasks;
  gitRepo: PullRequestsRepo;
  redactText: (text: string) => string;
  serverEnv: NodeJS.ProcessEnv;
  log: (msg: string, err?: unknown) => void;
}

export function createIntakeServices(deps: IntakeDeps) {
  const schedules = createSchedules({
    storage: deps.storage,
    repo: createSchedulesRepo(deps.storage.db),
    projects: deps.projects,
    tasks: deps.tasks,
    events: deps.events,
    now: () => new Date(),
    timezone: deps.config.intake.timezone,
    log: deps.log,
  });
  const schedulesRepo = createSchedulesRepo(deps.storage.db);
  const github = githubSettingsFrom(deps.config.github, deps.serverEnv);
  const prAutofix = createPrAutofix({
    storage: deps.storage,
    repo: createPrAutofixRepo(deps.storage.db),
    gitRepo: deps.gitRepo,
    tasks: deps.tasks,
    events: deps.events,
    github,
    redactText: deps.redactText,
    log: deps.log,
  });
  const issues = createIssueIntake({
    storage: deps.storage,
    repo: createIssueTasksRepo(deps.storage.db),
    gitRepo: deps.gitRepo,
    tasks: deps.tasks,
    events: deps.events,
    github,
    otherEvents: (event, payload) => prAutofix.handleEvent(event, payload),
    webhookSecret:
      deps.config.intake.githubWebhookSecret ?? deps.serverEnv.GLUON_GITHUB_WEBHOOK_SECRET ?? null,
    redactText: deps.redactText,
    log: deps.log,
  });
  const push = createPush({
    home: deps.config.home,
    storage: deps.storage,
    repo: createPushSubscriptionsRepo(deps.storage.db),
    tasks: deps.tasks,
    events: deps.events,
    subject: deps.config.intake.pushSubject,
    allowLoopbackHttp: deps.config.intake.pushAllowLoopbackHttp,
    redactText: deps.redactText,
    log: deps.log,
  });
  return {
    schedules,
    issues,
    prAutofix,
    push,
    /** Where a task came from: the GitHub issue or the schedule run that made it. */
    async origin(taskId: string): Promise<TaskOriginDto> {
      const run = await schedulesRepo.runOfTask(taskId);
      const schedule = run ? await schedulesRepo.findById(run.scheduleId) : undefined;
      return {
        issue: await issues.issueOf(taskId),
        schedule:
          run && schedule
            ? { id: schedule.id, cron: schedule.cron, status: schedule.status, dueAt: run.dueAt }
            : null,
      };
    },
    /** Starts what runs in the background of a server: VAPID keys (first start), schedules, issue polling. */
    start(): void {
      push.ensureKeys();
      schedules.start(deps.config.intake.scheduleTickMs);
      issues.start(deps.config.intake.issuePollMs);
      prAutofix.start(deps.config.intake.prAutofixPollMs);
    },
    stop(): void {
      schedules.stop();
      issues.stop();
      prAutofix.stop();
      push.stop();
    },
  };
}

export type IntakeServices = ReturnType<typeof createIntakeServices>;
