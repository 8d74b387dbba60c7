/**
 * What the fake agent's tools do once allowed: Write writes inside the run's directory (never outside it,
 * checked after resolving symlinks); AskUserQuestion reads the answers the decision added; every other
 * tool answers what the script says without running anything. Not a product module.
 */
import { lstat, mkdir, realpath, writeFile } from 'node:fs/promises';
import { dirname, isAbsolute, relative, resolve, sep } from 'node:path';
import type { Question } from '../../../../shared/events.js';

export interface ToolResult {
  output: string;
  isError: boolean;
}

const inside = (root: string, target: string) => {
  const rel = relative(root, target);
  return rel === '' || (!rel.startsWith(`..${sep}`) && rel !== '..' && !isAbsolute(rel));
};

/** Writes `content` to `filePath` (relative to `cwd`, or absolute inside it), as Claude Code's Write does. */
export async function runWrite(cwd: string, input: Record<string, unknown>): Promise<ToolResult> {
  const filePath = input.file_path;
  const content = input.content;
  if (typeof filePath !== 'string' || typeof content !== 'string')
    return { output: 'Write needs file_path and content', isError: true };
  const root = await realpath(cwd);
  const target = resolve(root, filePath);
  if (!inside(root, target)) return { output: `${filePath} is outside the working directory`, isError: true };
  // The deepest folder that exists must really be inside (a symlinked folder may point elsewhere).
  let existingDir = dirname(target);
  while (!(await lstat(existingDir).catch(() => null))) existingDir = dirname(existingDir);
  const existing = await lstat(target).catch(() => null);
  if (!inside(root, await realpath(existingDir)) || existing?.isSymbolicLink())
    return { output: `${filePath} leads outside the working directory`, isError: true };
  await mkdir(dirname(target), { recursive: true });
  await writeFile(target, content);
  return { output: `File created successfully at: ${target}`, isError: false };
}

/** AskUserQuestion's result once the decision carried `answers` (question text → answer). */
export function answerQuestions(
  questions: Question[],
  input: Record<string, unknown>,
): { result: ToolResult; answers: Record<string, string> } {
  const given = input.answers;
  const answers: Record<string, string> = {};
  if (typeof given === 'object' && given !== null) {
    for (const q of questions) {
      const a = (given as Record<string, unknown>)[q.question];
      if (typeof a === 'string') answers[q.question] = a;
    }
  }
  if (Object.keys(answers).length === 0)
    return { result: { output: 'The user did not answer.', isError: true }, answers };
  const pairs = Object.entries(answers)
    .map(([q, a]) => `"${q}"="${a}"`)
    .join(', ');
  return {
    result: {
      output: `User has answered your questions: ${pairs}. You can now continue with the user's answers in mind.`,
      isError: false,
    },
    answers,
  };
}
