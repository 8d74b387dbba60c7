/**
 * What Gluon writes for a GitHub issue: the task it becomes (title and prompt, with the link back) and
 * the comments it posts on the issue. The issue's text is the reporter's: it goes to the agent as the
 * task, like any prompt, which is why only a label (set by someone with triage rights) lets it in.
 */
import type { PullRequestDto } from '../../../shared/review-dto.js';
import type { GitHubRepo } from '../runner/github.js';
import type { IssueInfo } from '../runner/github-issues.js';
import type { TaskRecord } from '../storage/tasks-repo.js';

const MAX_PROMPT = 90_000;

export function composeIssuePrompt(where: GitHubRepo, issue: IssueInfo): { title: string; prompt: string } {
  const title = `#${issue.number} ${issue.title}`.trim().slice(0, 200);
  const body = issue.body.trim() ? `\n\n${issue.body.trim()}` : '';
  const prompt = `${issue.title.trim()}${body}`.slice(0, MAX_PROMPT);
  return {
    title,
    prompt: `${prompt}\n\n(GitHub issue ${where.owner}/${where.repo}#${issue.number}: ${issue.url})`,
  };
}

export function reviewComment(task: TaskRecord): string {
  return `Gluon's task \`${task.id}\` for this issue is ready for review ($${task.costUsd.toFixed(2)} so far).`;
}

export function prComment(pr: PullRequestDto): string {
  return `Gluon opened pull request #${pr.number} for this issue: ${pr.url}`;
}
