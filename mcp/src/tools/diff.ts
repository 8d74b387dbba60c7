/** Reading a task's work: the files it changed with +/- counts, and the unified diff, whole or per file. */
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import { diffQuery } from '../../../shared/api.js';
import type { ChangesDto } from '../../../shared/review-dto.js';
import type { GluonClient } from '../../../shared/client.js';
import { taskIdInput } from '../schemas.js';
import { capLines } from '../text.js';
import { guarded } from '../tool-result.js';

export const DEFAULT_DIFF_CHARS = 40_000;
export const MAX_DIFF_CHARS = 400_000;

/** Registers `task_diff`. */
export function registerDiffTools(server: McpServer, client: GluonClient): void {
  server.registerTool(
    'task_diff',
    {
      title: "Read a task's diff",
      description:
        'Read what a task changed on its branch against the base branch: the list of changed files with +/- line counts, ' +
        'then the unified diff (git format) of all files, or of one file with `path`. Long diffs are cut at `maxChars` ' +
        'on a line boundary and say so; then read the files you need one by one.',
      inputSchema: {
        id: taskIdInput,
        path: diffQuery.shape.path.describe(
          'One changed file, relative to the repository root, as the file list shows it.',
        ),
        maxChars: z
          .number()
          .int()
          .min(1000)
          .max(MAX_DIFF_CHARS)
          .optional()
          .describe(`The most diff text to return (default ${DEFAULT_DIFF_CHARS}).`),
      },
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    guarded(async ({ id, path, maxChars }: { id: string; path?: string; maxChars?: number }) => {
      const max = maxChars ?? DEFAULT_DIFF_CHARS;
      const [changes, diff] = await Promise.all([
        path ? null : client.changes(id),
        client.diff(id, path ? { path } : {}),
      ]);
      const capped = capLines(diff.diff, max);
      const lines = changes ? [...filesText(changes), ''] : [];
      lines.push(capped.text.trimEnd() || '(no differences)');
      if (capped.cut || diff.truncated) {
        const hint = path ? '' : '; pass `path` to read one file';
        lines.push(`[diff cut at ${capped.cut ? max : diff.diff.length} characters${hint}]`);
      }
      return lines.join('\n');
    }),
  );
}

/** The changed files, one line each: status, path (with the old path of a rename), +/- counts. */
function filesText(changes: ChangesDto): string[] {
  if (changes.files.length === 0)
    return [`No files changed (${changes.base.slice(0, 8)}..${changes.head.slice(0, 8)}).`];
  return [
    `${changes.files.length} file${changes.files.length === 1 ? '' : 's'} changed (${changes.base.slice(0, 8)}..${changes.head.slice(0, 8)}):`,
    ...changes.files.map(
      (f) =>
        `  ${f.status} ${f.oldPath ? `${f.oldPath} → ` : ''}${f.path} ${f.binary ? '(binary)' : `+${f.additions} -${f.deletions}`}`,
    ),
  ];
}
