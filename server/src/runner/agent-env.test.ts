import { describe, expect, it } from 'vitest';
import { buildAgentEnv, secretValuesFromEnv } from './agent-env.js';

const CLOUD_CREDENTIALS = {
  AWS_ACCESS_KEY_ID: 'AKIAEXAMPLEEXAMPLE12',
  AWS_SECRET_ACCESS_KEY: 'aws-secret-value-0123456789',
  AWS_SESSION_TOKEN: 'aws-session-token-value',
  AWS_REGION: 'eu-west-1',
  AWS_PROFILE: 'work',
  GOOGLE_APPLICATION_CREDENTIALS: '/home/u/gcp.json',
  CLOUD_ML_REGION: 'us-east5',
  ANTHROPIC_VERTEX_PROJECT_ID: 'proj',
};
const AWS = Object.keys(CLOUD_CREDENTIALS).filter((k) => k.startsWith('AWS_'));
const GOOGLE = ['GOOGLE_APPLICATION_CREDENTIALS', 'CLOUD_ML_REGION', 'ANTHROPIC_VERTEX_PROJECT_ID'];

describe('buildAgentEnv', () => {
  const base = { PATH: '/usr/bin', HOME: '/home/u', ANTHROPIC_API_KEY: 'sk-ant-x', ...CLOUD_CREDENTIALS };

  it('keeps the allowlist and the configured names, drops the rest, lets fixed values win', () => {
    const env = buildAgentEnv(
      { ...base, GLUON_TOKEN: 'nope', MY_TOOL_HOME: '/opt/tool', LC_ALL: 'C', PATH: '/bin' },
      ['MY_TOOL_HOME'],
      { GLUON_TASK_ID: 't1', PATH: '/fixed' },
    );
    expect(env).toMatchObject({ HOME: '/home/u', MY_TOOL_HOME: '/opt/tool', LC_ALL: 'C', PATH: '/fixed' });
    expect(env.GLUON_TOKEN).toBeUndefined();
    expect(env.GLUON_TASK_ID).toBe('t1');
  });

  it('gives no cloud credentials when neither Bedrock nor Vertex is in use', () => {
    const env = buildAgentEnv(base, [], {});
    for (const name of [...AWS, ...GOOGLE]) expect(env[name], name).toBeUndefined();
    expect(env.ANTHROPIC_API_KEY).toBe('sk-ant-x');
  });

  it('gives the AWS ones only with CLAUDE_CODE_USE_BEDROCK on', () => {
    const env = buildAgentEnv({ ...base, CLAUDE_CODE_USE_BEDROCK: '1' }, [], {});
    for (const name of AWS) expect(env[name], name).toBe(base[name as keyof typeof base]);
    for (const name of GOOGLE) expect(env[name], name).toBeUndefined();
    expect(buildAgentEnv({ ...base, CLAUDE_CODE_USE_BEDROCK: '0' }, [], {}).AWS_SECRET_ACCESS_KEY).toBe(
      undefined,
    );
  });

  it('gives the Google ones only with CLAUDE_CODE_USE_VERTEX on', () => {
    const env = buildAgentEnv({ ...base, CLAUDE_CODE_USE_VERTEX: 'true' }, [], {});
    for (const name of GOOGLE) expect(env[name], name).toBe(base[name as keyof typeof base]);
    for (const name of AWS) expect(env[name], name).toBeUndefined();
  });

  it('passes a cloud credential the configuration names explicitly', () => {
    expect(buildAgentEnv(base, ['AWS_PROFILE'], {}).AWS_PROFILE).toBe('work');
  });
});

describe('secretValuesFromEnv', () => {
  it('collects values under secret-looking names of at least 8 characters', () => {
    expect(secretValuesFromEnv({ GITHUB_TOKEN: 'ghp_0123456789', SHORT_TOKEN: 'abc', PATH: '/x' })).toEqual([
      'ghp_0123456789',
    ]);
  });
});
