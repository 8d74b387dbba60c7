/** The `@path` mentions in a prompt (the files Claude Code will read into its context). */
export function mentionedFiles(text: string): string[] {
  return [...text.matchAll(/(?:^|\s)@([^\s]+)/g)].map((m) => m[1]!);
}
