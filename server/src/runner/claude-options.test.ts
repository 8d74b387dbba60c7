import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { HookCallbackMatcher, PermissionResult } from '@anthropic-ai/claude-agent-sdk';
import type { ToolDecision } from './agent.js';
import { everyCallToGluon, gluonPolicy, oncePerCall, soleClaudeBinary } from './claude-options.js';

describe('soleClaudeBinary', () => {
  it.runIf(process.platform === 'linux' && process.arch === 'x64')(
    'finds the one platform package installed here, as the SDK would, without its libc probe',
    () => {
      const file = soleClaudeBinary();
      expect(file).toMatch(/@anthropic-ai\/claude-agent-sdk-linux-x64\/claude$/);
      expect(existsSync(file!)).toBe(true);
    },
  );

  it('leaves the choice to the SDK where no package of the platform is installed', () => {
    expect(soleClaudeBinary('aix', 'ppc64')).toBeUndefined();
    expect(soleClaudeBinary('linux', 'riscv64')).toBeUndefined();
  });
});

describe('everyCallToGluon', () => {
  type HookInput = Parameters<HookCallbackMatcher['hooks'][number]>[0];
  const call = (tool_name: string, tool_input: Record<string, unknown>, tool_use_id = 'toolu_1') =>
    ({
      hook_event_name: 'PreToolUse',
      tool_name,
      tool_input,
      tool_use_id,
      session_id: 's',
      transcript_path: '/dev/null',
      cwd: '/tmp',
    }) as HookInput;
  const signal = new AbortController().signal;
  const policyOf = (answer: (name: string, input: Record<string, unknown>) => PermissionResult) => {
    const asked: string[] = [];
    const calls = oncePerCall(async (id, name, input) => (asked.push(id), answer(name, input)));
    return { asked, calls };
  };
  const run = (matcher: HookCallbackMatcher, input: HookInput) =>
    matcher.hooks[0]!(input, input.hook_event_name === 'PreToolUse' ? input.tool_use_id : undefined, {
      signal,
    });

  it('answers an allowed call in the hook itself, asking the policy once', async () => {
    const { asked, calls } = policyOf((_n, input) => ({ behavior: 'allow', updatedInput: input }));
    const out = await run(everyCallToGluon(calls, false), call('Write', { file_path: 'a.txt' }));
    expect(out).toMatchObject({ hookSpecificOutput: { permissionDecision: 'allow' } });
    expect(out).not.toHaveProperty('hookSpecificOutput.updatedInput');
    expect(asked).toEqual(['toolu_1']);
    // Were canUseTool asked after all, the policy would be asked anew: the hook's answer is settled.
    await calls.decide('toolu_1', 'Write', { file_path: 'a.txt' });
    expect(asked).toEqual(['toolu_1', 'toolu_1']);
  });

  it('passes on an input the policy changed', async () => {
    const { calls } = policyOf(() => ({ behavior: 'allow', updatedInput: { command: 'ls -a' } }));
    const out = await run(everyCallToGluon(calls, false), call('Bash', { command: 'ls' }));
    expect(out).toMatchObject({
      hookSpecificOutput: { permissionDecision: 'allow', updatedInput: { command: 'ls -a' } },
    });
  });

  it('leaves a denial to canUseTool, which gets the same answer without asking the policy again', async () => {
    const denial: PermissionResult = { behavior: 'deny', message: 'Not allowed: no.', interrupt: true };
    const { asked, calls } = policyOf(() => denial);
    const out = await run(everyCallToGluon(calls, false), call('Bash', { command: 'rm -rf /' }));
    expect(out).toMatchObject({ hookSpecificOutput: { permissionDecision: 'ask' } });
    expect(await calls.decide('toolu_1', 'Bash', { command: 'rm -rf /' })).toBe(denial);
    expect(asked).toEqual(['toolu_1']);
  });

  it('a call waiting for a human is asked once, whoever asks while it waits', async () => {
    let approve: (r: PermissionResult) => void = () => {};
    const asked: string[] = [];
    const calls = oncePerCall((id) => (asked.push(id), new Promise((r) => (approve = r))));
    const first = calls.decide('toolu_9', 'Bash', { command: 'make' });
    const second = calls.decide('toolu_9', 'Bash', { command: 'make' });
    approve({ behavior: 'allow' });
    expect(await second).toBe(await first);
    expect(asked).toEqual(['toolu_9']);
  });

  it('sends questions, leaving plan mode and every call in plan mode to canUseTool unasked', async () => {
    const { asked, calls } = policyOf(() => ({ behavior: 'allow' }));
    for (const tool of ['AskUserQuestion', 'ExitPlanMode'])
      expect(await run(everyCallToGluon(calls, false), call(tool, {}))).toMatchObject({
        hookSpecificOutput: { permissionDecision: 'ask' },
      });
    expect(await run(everyCallToGluon(calls, true), call('Read', { file_path: 'a' }))).toMatchObject({
      hookSpecificOutput: { permissionDecision: 'ask' },
    });
    expect(asked).toEqual([]);
  });
});

describe('gluonPolicy', () => {
  const policy = (decision: ToolDecision, hosts?: string[]) => {
    const held: number[] = [];
    return {
      held,
      decide: gluonPolicy(
        async () => decision,
        hosts,
        () => held.push(1),
      ),
    };
  };

  it('allows with the input the policy gave, or the call as it came', async () => {
    const input = { command: 'ls' };
    expect(await policy({ allow: true }).decide('t', 'Bash', input)).toEqual({
      behavior: 'allow',
      updatedInput: input,
    });
    expect(
      await policy({ allow: true, updatedInput: { command: 'ls -a' } }).decide('t', 'Bash', input),
    ).toEqual({ behavior: 'allow', updatedInput: { command: 'ls -a' } });
  });

  it("refuses an allowed web fetch to a host off the sandbox's list", async () => {
    const { decide } = policy({ allow: true }, ['127.0.0.1:8080']);
    expect(await decide('t', 'WebFetch', { url: 'https://example.com/' })).toMatchObject({
      behavior: 'deny',
      message: expect.stringMatching(/^Not allowed: /),
    });
    expect(await decide('t', 'WebFetch', { url: 'http://127.0.0.1:8080/x' })).toMatchObject({
      behavior: 'allow',
    });
  });

  it('denies with the message; a hold interrupts the run and is reported', async () => {
    const denied = policy({ allow: false, message: 'no' });
    expect(await denied.decide('t', 'Bash', {})).toEqual({
      behavior: 'deny',
      message: 'no',
      interrupt: false,
    });
    const held = policy({ allow: false, message: 'plan held', hold: true });
    expect(await held.decide('t', 'ExitPlanMode', {})).toEqual({
      behavior: 'deny',
      message: 'plan held',
      interrupt: true,
    });
    expect(held.held).toEqual([1]);
    expect(denied.held).toEqual([]);
  });
});
