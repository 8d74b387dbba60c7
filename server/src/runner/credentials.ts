/**
 * Whether the agents can reach Claude: an API key or token in their environment, a cloud provider
 * switched on, or a Claude login stored in the config directory. The dashboard's first-run message
 * depends on it.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';

const CREDENTIAL_VARIABLES = [
  'ANTHROPIC_API_KEY',
  'ANTHROPIC_AUTH_TOKEN',
  'CLAUDE_CODE_OAUTH_TOKEN',
  'CLAUDE_CODE_USE_BEDROCK',
  'CLAUDE_CODE_USE_VERTEX',
];

export function hasClaudeCredentials(env: NodeJS.ProcessEnv): boolean {
  if (CREDENTIAL_VARIABLES.some((name) => !!env[name])) return true;
  const configDir = env.CLAUDE_CONFIG_DIR ?? (env.HOME ? path.join(env.HOME, '.claude') : null);
  return configDir !== null && existsSync(path.join(configDir, '.credentials.json'));
}
