/** Test helper: runs the CLI in-process with captured output. Not a product module. */
import { runCli } from '../program.js';

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `gluon <argv>` against `env` (usually GLUON_URL of a fake API) and captures stdout/stderr. */
export async function runGluon(
  argv: string[],
  env: NodeJS.ProcessEnv,
  options: { isTTY?: boolean; cwd?: string } = {},
): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(argv, {
    stdout: { write: (chunk: string) => (stdout += chunk), isTTY: options.isTTY ?? false },
    stderr: { write: (chunk: string) => (stderr += chunk) },
    env,
    cwd: options.cwd ?? '/home/me/repo',
  });
  return { code, stdout, stderr };
}
