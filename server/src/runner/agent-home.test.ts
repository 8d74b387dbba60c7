import {
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  readlinkSync,
  rmSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { agentHomeFence, prepareAgentHome, withAgentHome } from './agent-home.js';

describe('the agent’s own HOME', () => {
  let root: string;
  let userHome: string;
  let dataDir: string;
  let env: Record<string, string>;
  beforeAll(() => {
    root = mkdtempSync(path.join(os.tmpdir(), 'gluon-agenthome-'));
    userHome = path.join(root, 'user');
    dataDir = path.join(root, 'data');
    mkdirSync(path.join(userHome, '.claude', 'commands'), { recursive: true });
    mkdirSync(path.join(userHome, '.ssh'));
    mkdirSync(path.join(userHome, '.claude', 'projects', 'other-repo'), { recursive: true });
    writeFileSync(path.join(userHome, '.claude', '.credentials.json'), '{"claudeAiOauth":{}}');
    writeFileSync(path.join(userHome, '.claude', 'settings.json'), '{"model":"x"}');
    writeFileSync(path.join(userHome, '.claude', 'commands', 'standup.md'), 'notes');
    writeFileSync(path.join(userHome, '.ssh', 'id_ed25519'), 'PRIVATE KEY');
    writeFileSync(path.join(userHome, '.gitconfig'), '[user]\n\tname = Ada\n\temail = ada@example.com\n');
    writeFileSync(
      path.join(userHome, '.claude.json'),
      JSON.stringify({
        oauthAccount: { emailAddress: 'ada@example.com' },
        userID: 'u1',
        projects: { '/x': {} },
      }),
    );
    env = { HOME: userHome, PATH: process.env.PATH ?? '/usr/bin:/bin', CLAUDE_CONFIG_DIR: '' };
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('holds the Claude login, settings and commands (linked), the account keys and the git identity only', () => {
    const home = prepareAgentHome(dataDir, env);
    expect(home).toBe(path.join(dataDir, 'claude-home'));
    expect(readdirSync(home).sort()).toEqual(['.claude', '.claude.json', '.config', '.gitconfig']);
    // The sandbox's placeholders in a worktree, ignored by the agent's own git (root-anchored).
    expect(readFileSync(path.join(home, '.config', 'git', 'ignore'), 'utf8').split('\n')).toEqual(
      expect.arrayContaining(['/.bashrc', '/.gitmodules', '/.vscode', '/.claude/']),
    );
    expect(readdirSync(path.join(home, '.claude')).sort()).toEqual([
      '.credentials.json',
      'commands',
      'settings.json',
    ]);
    for (const name of ['.credentials.json', 'settings.json', 'commands'])
      expect(readlinkSync(path.join(home, '.claude', name))).toBe(path.join(userHome, '.claude', name));
    expect(JSON.parse(readFileSync(path.join(home, '.claude.json'), 'utf8'))).toEqual({
      oauthAccount: { emailAddress: 'ada@example.com' },
      userID: 'u1',
    });
    expect(readFileSync(path.join(home, '.gitconfig'), 'utf8')).toContain('email = "ada@example.com"');
    expect(lstatSync(home).mode & 0o777).toBe(0o700);
  });

  it('reads the git identity again off the loop once it is a minute old: the start after takes the new one', async () => {
    // A HOME of its own: what was read is kept by PATH and HOME.
    const userHome2 = path.join(root, 'user-identity');
    mkdirSync(userHome2);
    writeFileSync(path.join(userHome2, '.gitconfig'), '[user]\n\tname = Ada\n\temail = ada@example.com\n');
    const env2 = { ...env, HOME: userHome2 };
    const data = path.join(root, 'data-identity');
    const identity = () => readFileSync(path.join(prepareAgentHome(data, env2), '.gitconfig'), 'utf8');
    expect(identity()).toContain('email = "ada@example.com"');
    writeFileSync(path.join(userHome2, '.gitconfig'), '[user]\n\tname = Bob\n\temail = bob@example.com\n');
    expect(identity()).toContain('email = "ada@example.com"');
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      vi.setSystemTime(Date.now() + 61_000);
      // This start takes what was read (it waits for no git process) and has the identity read again.
      expect(identity()).toContain('email = "ada@example.com"');
      await vi.waitFor(() => expect(identity()).toContain('email = "bob@example.com"'), { timeout: 10_000 });
      expect(identity()).toContain('name = "Bob"');
    } finally {
      vi.useRealTimers();
    }
  });

  it('links the login again when Claude Code replaced it, and keeps what Claude Code wrote', () => {
    const home = prepareAgentHome(dataDir, env);
    const link = path.join(home, '.claude', '.credentials.json');
    unlinkSync(link);
    writeFileSync(link, '{"stale":true}');
    writeFileSync(path.join(home, '.claude.json'), JSON.stringify({ userID: 'old', numStartups: 3 }));
    prepareAgentHome(dataDir, env);
    expect(readlinkSync(link)).toBe(path.join(userHome, '.claude', '.credentials.json'));
    expect(JSON.parse(readFileSync(path.join(home, '.claude.json'), 'utf8'))).toMatchObject({
      userID: 'u1',
      numStartups: 3,
    });
  });

  it('never links a file over itself (a server whose HOME is the agent’s)', () => {
    const home = path.join(dataDir, 'claude-home');
    prepareAgentHome(dataDir, { ...env, HOME: home });
    expect(existsSync(path.join(home, '.claude', '.credentials.json'))).toBe(true);
  });

  it('replaces HOME and drops CLAUDE_CONFIG_DIR in the agent’s environment', () => {
    const agentEnv = withAgentHome({ HOME: userHome, CLAUDE_CONFIG_DIR: '/c', PATH: '/bin' }, '/agent');
    expect(agentEnv).toEqual({ HOME: '/agent', PATH: '/bin' });
  });

  it('keeps the login files behind the fence, wherever their links lead', () => {
    const closed = agentHomeFence(dataDir, env)
      .filter((r) => !r.open)
      .map((r) => r.path);
    expect(closed).toContain(path.join(userHome, '.claude', '.credentials.json'));
    expect(closed).toContain(path.join(dataDir, 'claude-home', '.claude.json'));
  });
});
