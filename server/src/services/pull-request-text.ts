/**
 * The title and body of a task's pull request: the task's title; the agent's summary (its last text of
 * the last run), the task's commits, and where it came from. The caller redacts both before sending.
 */
import { listCommits } from '../runner/review-data.js';
import type { Storage } from '../storage/index.js';
import type { ProjectRecord } from '../storage/projects-repo.js';
import type { TaskRecord } from '../storage/tasks-repo.js';

/** GitHub refuses bodies over 65,536 characters; stay well under. */
const MAX_BODY = 60_000;
const MAX_TITLE = 250;
const PAGE = 1000;

/** The last complete text the main agent said in the task (its summary), or null. */
export async function lastAgentText(storage: Storage, taskId: string): Promise<string | null> {
  let last: string | null = null;
  for (let after = 0; ;) {
    const page = await storage.events.listAfter(taskId, after, PAGE);
    for (const e of page)
      if (e.type === 'agent.text' && !e.data.subagent && e.data.text.trim()) last = e.data.text.trim();
    if (page.length < PAGE) return last;
    after = page.at(-1)!.seq;
  }
}

export async function composePullRequest(
  storage: Storage,
  task: TaskRecord,
  project: ProjectRecord,
): Promise<{ title: string; body: string }> {
  const summary = await lastAgentText(storage, task.id);
  const commits =
    (await listCommits({
      repo: project.path,
      branch: task.branch!,
      baseBranch: task.baseBranch,
      recordedBase: task.baseSha,
    })) ?? [];
  const lines: string[] = [];
  lines.push(summary ?? task.prompt.trim().split('\n')[0] ?? '', '');
  if (commits.length) {
    lines.push('### Commits', '');
    for (const c of [...commits].reverse())
      lines.push(`- \`${c.sha.slice(0, 7)}\` ${c.message.split('\n')[0]}`);
    lines.push('');
  }
  lines.push('---', `Opened by Gluon from task \`${task.id}\` (branch \`${task.branch}\`).`);
  let body = lines.join('\n');
  if (body.length > MAX_BODY) body = `${body.slice(0, MAX_BODY)}\n\n…(cut)`;
  const title = task.title.length > MAX_TITLE ? `${task.title.slice(0, MAX_TITLE - 1)}…` : task.title;
  return { title, body };
}
