/**
 * The agent's environment: an allowlist. The agent gets what it needs to run and to reach its model
 * (credentials, proxies, locale), plus what the configuration names, never the server's own secrets.
 */

const ALLOWED = new Set([
  'PATH',
  'HOME',
  'USER',
  'LOGNAME',
  'SHELL',
  'LANG',
  'LANGUAGE',
  'TERM',
  'TZ',
  'TMPDIR',
  'ANTHROPIC_API_KEY',
  'ANTHROPIC_AUTH_TOKEN',
  'ANTHROPIC_BASE_URL',
  'ANTHROPIC_CUSTOM_HEADERS',
  'CLAUDE_CODE_OAUTH_TOKEN',
  'CLAUDE_CONFIG_DIR',
  'CLAUDE_CODE_USE_BEDROCK',
  'CLAUDE_CODE_USE_VERTEX',
  'CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC',
  'DISABLE_AUTOUPDATER',
  'DISABLE_TELEMETRY',
  'IS_SANDBOX',
  'AWS_REGION',
  'AWS_PROFILE',
  'AWS_ACCESS_KEY_ID',
  'AWS_SECRET_ACCESS_KEY',
  'AWS_SESSION_TOKEN',
  'CLOUD_ML_REGION',
  'ANTHROPIC_VERTEX_PROJECT_ID',
  'GOOGLE_APPLICATION_CREDENTIALS',
  'HTTP_PROXY',
  'HTTPS_PROXY',
  'NO_PROXY',
  'http_proxy',
  'https_proxy',
  'no_proxy',
  'NODE_EXTRA_CA_CERTS',
]);

/** Builds the agent's environment from the server's, keeping only allowlisted and configured names. */
export function buildAgentEnv(
  serverEnv: NodeJS.ProcessEnv,
  extraNames: readonly string[],
  fixed: Record<string, string>,
): Record<string, string> {
  const out: Record<string, string> = {};
  const extra = new Set(extraNames);
  for (const [name, value] of Object.entries(serverEnv)) {
    if (value === undefined) continue;
    if (ALLOWED.has(name) || name.startsWith('LC_') || extra.has(name)) out[name] = value;
  }
  // Fixed values last: the caller's word on these wins over the server's environment.
  return { ...out, ...fixed };
}

const SECRET_NAME = /(TOKEN|SECRET|PASSWORD|PASSWD|API_KEY|PRIVATE_KEY|CREDENTIAL)/i;

/** Values of the server's environment that look secret, to redact wherever they might appear. */
export function secretValuesFromEnv(env: NodeJS.ProcessEnv): string[] {
  return Object.entries(env)
    .filter(([name, value]) => SECRET_NAME.test(name) && typeof value === 'string' && value.length >= 8)
    .map(([, value]) => value as string);
}
