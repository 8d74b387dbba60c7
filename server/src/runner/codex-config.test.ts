import { describe, expect, it } from 'vitest';
import { codexArgs, codexEnv, isCodexThreadId, renderCodexConfig } from './codex-config.js';

describe('codexArgs', () => {
  it('reads the prompt from stdin and puts no user text in argv', () => {
    expect(codexArgs({ model: 'gpt-5.5', sandbox: 'workspace-write' })).toEqual([
      'exec',
      '--json',
      '--strict-config',
      '--ignore-rules',
      '--model=gpt-5.5',
      '-c',
      'sandbox_mode="workspace-write"',
      '-',
    ]);
  });

  it('resumes a thread by id, images first and each followed by a flag, instructions as TOML', () => {
    const args = codexArgs({
      model: 'gpt-5.5',
      sandbox: 'danger-full-access',
      resumeThreadId: '01a242ad-1eb5-7e70-a201-9d9de944eac3',
      images: ['/h/a.png', '/h/b.png'],
      developerInstructions: 'Say "hi"\nthen stop.',
    });
    expect(args.slice(0, 7)).toEqual(['exec', 'resume', '-i', '/h/a.png', '-i', '/h/b.png', '--json']);
    expect(args).toContain('developer_instructions="Say \\"hi\\"\\nthen stop."');
    expect(args).toContain('sandbox_mode="danger-full-access"');
    expect(args.slice(-2)).toEqual(['01a242ad-1eb5-7e70-a201-9d9de944eac3', '-']);
  });

  it('refuses a session id that could read as an option', () => {
    expect(isCodexThreadId('--dangerously-bypass-approvals-and-sandbox')).toBe(false);
    expect(isCodexThreadId('abc')).toBe(false);
    expect(() =>
      codexArgs({ model: 'm', sandbox: 'workspace-write', resumeThreadId: '-c x=1 aaaaaaaa' }),
    ).toThrow(/not a Codex thread id/);
  });
});

describe('renderCodexConfig', () => {
  it('names one provider at the base URL, keeps the key out of commands and turns off other hosts', () => {
    const toml = renderCodexConfig({
      baseUrl: 'http://127.0.0.1:9/v1',
      networkAccess: false,
      streamMaxRetries: 2,
    });
    expect(toml).toContain('model_provider = "gluon"');
    expect(toml).toContain('base_url = "http://127.0.0.1:9/v1"');
    expect(toml).toContain('env_key = "OPENAI_API_KEY"');
    expect(toml).toContain('stream_max_retries = 2');
    expect(toml).not.toContain('request_max_retries');
    expect(toml).toMatch(/\[shell_environment_policy\]\nexclude = \["OPENAI_API_KEY", "CODEX_HOME"\]/);
    expect(toml).toMatch(/\[features\]\nplugins = false/);
    expect(toml).toMatch(/\[analytics\]\nenabled = false/);
    expect(toml).toContain('check_for_update_on_startup = false');
  });
});

describe('codexEnv', () => {
  it('adds the home, a private TMPDIR inside it and the key to the run environment', () => {
    expect(codexEnv({ PATH: '/bin', TMPDIR: '/tmp' }, '/g/codex', 'sk-1')).toEqual({
      PATH: '/bin',
      CODEX_HOME: '/g/codex',
      TMPDIR: '/g/codex/tmp-agent',
      OPENAI_API_KEY: 'sk-1',
    });
    expect(codexEnv({ PATH: '/bin' }, '/g/codex', undefined)).not.toHaveProperty('OPENAI_API_KEY');
  });
});
