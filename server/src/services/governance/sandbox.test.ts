import { describe, expect, it } from 'vitest';
import { checkSandboxFor, defaultApproval, describeSandbox, sandboxStartLine } from './sandbox.js';

const missing = {
  available: false,
  reason: 'bubblewrap (bwrap) is not installed',
  allowUnsandboxedAuto: false,
};

describe('the sandbox where work starts', () => {
  it.each([
    ['auto', missing, 'sandbox_unavailable'],
    ['careful', missing, null],
    ['strict', missing, null],
    ['auto', { ...missing, allowUnsandboxedAuto: true }, null],
    ['auto', { available: true, reason: null, allowUnsandboxedAuto: false }, null],
    ['auto', undefined, null],
  ] as const)('%s with %j → %s', (approval, sandbox, code) => {
    const attempt = () => checkSandboxFor(sandbox, approval);
    if (code) expect(attempt).toThrow(expect.objectContaining({ status: 409, code }));
    else expect(attempt).not.toThrow();
  });

  it.each([
    [missing, 'careful'],
    [{ ...missing, allowUnsandboxedAuto: true }, 'auto'],
    [{ available: true, reason: null, allowUnsandboxedAuto: false }, 'auto'],
    [undefined, 'auto'],
  ] as const)('a task asking for no approval policy with %j gets %s', (sandbox, approval) => {
    expect(defaultApproval(sandbox)).toBe(approval);
  });

  it('says so at start, and on the health endpoint', () => {
    expect(sandboxStartLine(missing)).toBe(
      'agents run without a sandbox: bubblewrap (bwrap) is not installed; tasks with auto approval are refused here (use careful or strict, or set sandbox.allowUnsandboxedAuto)',
    );
    expect(sandboxStartLine({ available: true, reason: null, allowUnsandboxedAuto: false })).toBeNull();
    expect(describeSandbox(missing)).toEqual({
      available: false,
      reason: missing.reason,
      autoAllowed: false,
    });
    expect(describeSandbox({ ...missing, allowUnsandboxedAuto: true })?.autoAllowed).toBe(true);
  });
});
