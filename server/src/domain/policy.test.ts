import { describe, expect, it } from 'vitest';
import { admitTask, combinePolicies, deniedTool } from './policy.js';
import { protectedWrite } from './protected-writes.js';

describe('policies', () => {
  it('combine with the stricter winning on every point', () => {
    const combined = combinePolicies([
      {
        allowedProfiles: ['quick', 'standard', 'deep'],
        maxCostPerTaskUsd: 5,
        minApproval: 'careful',
        ralphAllowed: true,
        deniedTools: ['WebFetch'],
        protectedPaths: ['infra/**'],
      },
      {
        allowedProfiles: ['standard', 'quick'],
        maxCostPerTaskUsd: 8,
        minApproval: 'auto',
        ralphAllowed: false,
        deniedTools: ['WebSearch'],
        protectedPaths: ['infra/**', '*.pem'],
      },
    ]);
    expect(combined).toEqual({
      allowedProfiles: ['quick', 'standard'],
      maxCostPerTaskUsd: 5,
      minApproval: 'careful',
      ralphAllowed: false,
      deniedTools: ['WebFetch', 'WebSearch'],
      protectedPaths: ['infra/**', '*.pem'],
    });
    expect(combinePolicies([{}, {}])).toEqual({});
  });

  it("add up the hosts the agent's commands may reach (the workspace's, then the project's)", () => {
    const combined = combinePolicies([
      { allowedHosts: ['registry.npmjs.org'] },
      {},
      { allowedHosts: ['*.internal.example', 'registry.npmjs.org'] },
    ]);
    expect(combined.allowedHosts).toEqual(['registry.npmjs.org', '*.internal.example']);
  });

  const asked = { profile: 'standard' as const, ralph: false, approval: 'auto' as const, maxCostUsd: null };
  it.each([
    [
      { allowedProfiles: ['quick' as const] },
      asked,
      'the policy allows only the quick profile(s), not standard',
    ],
    [
      { allowedProfiles: ['standard' as const] },
      { ...asked, stepProfiles: ['deep' as const] },
      'the policy allows only the standard profile(s), not deep',
    ],
    [{ ralphAllowed: false }, { ...asked, ralph: true }, 'the policy does not allow Ralph loops here'],
  ])('refuses %j for %j', (policy, task, message) => {
    expect(admitTask(policy, task)).toEqual({ ok: false, message });
  });

  it.each([
    [{}, asked, 'auto', null, []],
    [{ minApproval: 'careful' as const }, asked, 'careful', null, ['approval raised to careful by policy']],
    [{ minApproval: 'careful' as const }, { ...asked, approval: 'strict' as const }, 'strict', null, []],
    [{ maxCostPerTaskUsd: 3 }, asked, 'auto', 3, ['cost cap set to $3 by policy']],
    [{ maxCostPerTaskUsd: 3 }, { ...asked, maxCostUsd: 5 }, 'auto', 3, ['cost cap set to $3 by policy']],
    [{ maxCostPerTaskUsd: 3 }, { ...asked, maxCostUsd: 1 }, 'auto', 1, []],
  ])('admits %j for %j with approval %s and cap %s', (policy, task, approval, maxCostUsd, notes) => {
    expect(admitTask(policy, task)).toEqual({ ok: true, approval, maxCostUsd, notes });
  });

  it('denies tools by name or prefix', () => {
    const p = { deniedTools: ['WebFetch', 'mcp__github__*'] };
    expect(deniedTool(p, 'WebFetch')).toBe('WebFetch');
    expect(deniedTool(p, 'mcp__github__create_issue')).toBe('mcp__github__*');
    expect(deniedTool(p, 'mcp__gitlab__x')).toBeNull();
    expect(deniedTool({}, 'Bash')).toBeNull();
  });
});

describe('protected writes at the tool call', () => {
  const wt = '/data/worktrees/wt-1';
  const globs = ['infra/**', '.github/workflows/**', '*.pem'];
  const bash = (command: string) =>
    protectedWrite({ name: 'Bash', input: { command } }, wt, globs)?.path ?? null;
  it.each([
    ['Write', { file_path: `${wt}/infra/main.tf` }, 'infra/main.tf'],
    ['Edit', { file_path: 'infra/main.tf' }, 'infra/main.tf'],
    ['MultiEdit', { file_path: `${wt}/keys/server.pem` }, 'keys/server.pem'],
    ['Write', { file_path: `${wt}/src/app.ts` }, null],
    ['Write', { file_path: '/elsewhere/infra/x' }, null],
    ['Read', { file_path: `${wt}/infra/main.tf` }, null],
  ])('%s %j → %s', (name, input, expected) => {
    expect(protectedWrite({ name, input }, wt, globs)?.path ?? null).toBe(expected);
  });

  it.each([
    ['echo x > infra/a.tf', 'infra/a.tf'],
    ['echo x >> .github/workflows/ci.yml', '.github/workflows/ci.yml'],
    ['cat a | tee -a infra/b.tf', 'infra/b.tf'],
    ['cp /tmp/x infra/', 'infra'],
    ['mv a.txt ./infra/c.tf', 'infra/c.tf'],
    ['rm -rf .github/workflows', '.github/workflows'],
    ["sed -i 's/a/b/' infra/main.tf", 'infra/main.tf'],
    ['dd if=/dev/zero of=infra/z bs=1 count=1', 'infra/z'],
    ['echo $(touch infra/sub.tf)', 'infra/sub.tf'],
    ['npm test && echo ok > out.txt', null],
    ['cat infra/main.tf', null],
    ['cp infra/main.tf /tmp/copy', null],
  ])('Bash %s → %s', (command, expected) => {
    expect(bash(command)).toBe(expected);
  });

  it('has nothing to say without protected paths', () => {
    expect(protectedWrite({ name: 'Write', input: { file_path: `${wt}/infra/x` } }, wt, [])).toBeNull();
  });
});
