/**
 * How Gluon runs Codex: its `config.toml` (in a CODEX_HOME of Gluon's own, never the user's `~/.codex`),
 * the argv of one `codex exec`, and the environment of the process. Everything that could reach a host
 * other than the configured model provider is switched off, and `--strict-config` makes Codex refuse a
 * setting it does not know, so a renamed key fails loudly instead of quietly turning something back on.
 */
import path from 'node:path';

/** The variable Codex reads the API key from (`env_key`); Codex keeps it out of the agent's commands. */
export const CODEX_KEY_VARIABLE = 'OPENAI_API_KEY';
export const DEFAULT_OPENAI_BASE_URL = 'https://api.openai.com/v1';

export type CodexSandbox = 'workspace-write' | 'danger-full-access';

export interface CodexHomeSettings {
  /** The Responses API base URL; Codex appends `/responses`. */
  baseUrl: string;
  /** Whether the agent's commands may use the network inside the workspace-write sandbox. */
  networkAccess: boolean;
  requestMaxRetries?: number;
  streamMaxRetries?: number;
}

/** A TOML basic string (JSON's escapes are TOML's). */
export const tomlString = (value: string): string => JSON.stringify(value);

/**
 * The config.toml of Gluon's Codex home.
 * - one model provider, `gluon`, speaking the Responses API at the configured base URL with an API key;
 * - approvals never asked (exec mode has no one to ask), reasoning summaries on (they stream as thinking);
 * - no update check, no analytics, no plugins (they sync from chatgpt.com and github.com), no web search;
 * - the API key and Codex's home kept out of the agent's commands.
 */
export function renderCodexConfig(s: CodexHomeSettings): string {
  const retries = [
    ...(s.requestMaxRetries !== undefined ? [`request_max_retries = ${s.requestMaxRetries}`] : []),
    ...(s.streamMaxRetries !== undefined ? [`stream_max_retries = ${s.streamMaxRetries}`] : []),
  ];
  return [
    '# Written by Gluon for the Codex agents it runs; rewritten when they start.',
    'model_provider = "gluon"',
    'approval_policy = "never"',
    'model_reasoning_summary = "auto"',
    'check_for_update_on_startup = false',
    'web_search = "disabled"',
    '',
    '[model_providers.gluon]',
    'name = "OpenAI (Gluon)"',
    `base_url = ${tomlString(s.baseUrl)}`,
    `env_key = ${tomlString(CODEX_KEY_VARIABLE)}`,
    'wire_api = "responses"',
    ...retries,
    '',
    '[sandbox_workspace_write]',
    `network_access = ${s.networkAccess}`,
    '',
    '[shell_environment_policy]',
    `exclude = [${tomlString(CODEX_KEY_VARIABLE)}, "CODEX_HOME"]`,
    '',
    '[analytics]',
    'enabled = false',
    '',
    '[features]',
    'plugins = false',
    '',
  ].join('\n');
}

export interface CodexRunArgs {
  model: string;
  sandbox: CodexSandbox;
  /** Continue this thread (`codex exec resume <id>`). */
  resumeThreadId?: string | null;
  /** Image files sent with the prompt. */
  images?: string[];
  /** Instructions added to Codex's developer message. */
  developerInstructions?: string;
}

const THREAD_ID = /^[0-9A-Za-z][0-9A-Za-z-]{7,63}$/;

/** Whether a session id can be one of Codex's thread ids (and so is safe as a positional argument). */
export const isCodexThreadId = (id: string): boolean => THREAD_ID.test(id);

/**
 * The argv of one run after the executable. The prompt is read from stdin (`-`): no prompt text in argv,
 * no length limit, nothing that could read as an option. Images come first, each `-i` followed by a
 * flag, because `codex exec -i` takes several values and would swallow the `-`.
 */
export function codexArgs(a: CodexRunArgs): string[] {
  const images = (a.images ?? []).flatMap((file) => ['-i', file]);
  const common = [
    ...images,
    '--json',
    '--strict-config',
    // Execution-policy rules of the user or of the repository could loosen the sandbox: none are read.
    '--ignore-rules',
    `--model=${a.model}`,
    '-c',
    `sandbox_mode=${tomlString(a.sandbox)}`,
    ...(a.developerInstructions
      ? ['-c', `developer_instructions=${tomlString(a.developerInstructions)}`]
      : []),
  ];
  if (!a.resumeThreadId) return ['exec', ...common, '-'];
  if (!isCodexThreadId(a.resumeThreadId)) throw new Error(`not a Codex thread id: ${a.resumeThreadId}`);
  return ['exec', 'resume', ...common, a.resumeThreadId, '-'];
}

/**
 * The environment of the Codex process: the run's own (already allowlisted), Codex's home, a private
 * temporary directory, and the API key. Codex will not create its sandbox helper when CODEX_HOME lies
 * under the temporary directory (a shared /tmp could be tampered with), so TMPDIR points inside the home,
 * which is private to Gluon.
 */
export function codexEnv(
  base: Record<string, string>,
  home: string,
  apiKey: string | undefined,
): Record<string, string> {
  const env: Record<string, string> = { ...base, CODEX_HOME: home, TMPDIR: path.join(home, 'tmp-agent') };
  if (apiKey) env[CODEX_KEY_VARIABLE] = apiKey;
  return env;
}
