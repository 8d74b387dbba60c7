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
  'HTTP_PROXY',
  'HTTPS_PROXY',
  'NO_PROXY',
  'http_proxy',
  'https_proxy',
  'no_proxy',
  'NODE_EXTRA_CA_CERTS',
]);

/** Cloud credentials, passed only when Claude Code is told to reach Claude through that cloud. */
const CLOUD: { switch: string; names: string[] }[] = [
  {
    switch: 'CLAUDE_CODE_USE_BEDROCK',
    names: ['AWS_REGION', 'AWS_PROFILE', 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN'],
  },
  {
    switch: 'CLAUDE_CODE_USE_VERTEX',
    names: ['CLOUD_ML_REGION', 'ANTHROPIC_VERTEX_PROJECT_ID', 'GOOGLE_APPLICATION_CREDENTIALS'],
  },
];

/** Whether a switch variable is on, as Claude Code reads it (`1`, `true`; not `0`, `false` or empty). */
const isOn = (value: string | undefined) => !!value && !/^(0|false|no|off)$/i.test(value.trim());

/**
 * Builds the agent's environment from the server's.
 * Rules: allowlisted names, `LC_*` and names the configuration lists pass; AWS credentials only with
 * `CLAUDE_CODE_USE_BEDROCK` on and Google ones only with `CLAUDE_CODE_USE_VERTEX` on (or when the
 * configuration names them); `fixed` values win over the server's.
 */
export function buildAgentEnv(
  serverEnv: NodeJS.ProcessEnv,
  extraNames: readonly string[],
  fixed: Record<string, string>,
): Record<string, string> {
  const out: Record<string, string> = {};
  const extra = new Set(extraNames);
  const clouds = new Set(CLOUD.filter((c) => isOn(serverEnv[c.switch])).flatMap((c) => c.names));
  for (const [name, value] of Object.entries(serverEnv)) {
    if (value === undefined) continue;
    if (ALLOWED.has(name) || name.startsWith('LC_') || extra.has(name) || clouds.has(name)) out[name] = value;
  }
  return { ...out, ...fixed };
}

const SECRET_NAME = /(TOKEN|SECRET|PASSWORD|PASSWD|API_KEY|PRIVATE_KEY|CREDENTIAL)/i;

/** Values of the server's environment that look secret, to redact wherever they might appear. */
export function secretValuesFromEnv(env: NodeJS.ProcessEnv): string[] {
  return Object.entries(env)
    .filter(([name, value]) => SECRET_NAME.test(name) && typeof value === 'string' && value.length >= 8)
    .map(([, value]) => value as string);
}
