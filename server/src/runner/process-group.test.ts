import { spawn } from 'node:child_process';
import { getPriority } from 'node:os';
import { describe, expect, it } from 'vitest';
import { AGENT_NICENESS, yieldToServer } from './process-group.js';

describe('yieldToServer', () => {
  it('lowers an agent process to AGENT_NICENESS, and what it starts inherits it', async () => {
    // A shell that starts a child after a moment: the child is forked after the renice.
    const child = spawn('sh', ['-c', 'sleep 0.3; sleep 5 & echo $!; wait'], {
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    let grandchild = 0;
    try {
      yieldToServer(child.pid!);
      expect(getPriority(child.pid!)).toBe(Math.max(AGENT_NICENESS, getPriority()));
      grandchild = await new Promise<number>((resolve) =>
        child.stdout.once('data', (d: Buffer) => resolve(Number(String(d).trim()))),
      );
      expect(getPriority(grandchild)).toBe(getPriority(child.pid!));
      expect(getPriority()).toBeLessThan(AGENT_NICENESS);
    } finally {
      child.kill('SIGKILL');
      if (grandchild) process.kill(grandchild, 'SIGKILL');
    }
  });

  it('a process already gone is no error', () => {
    expect(() => yieldToServer(2 ** 22 + 12345)).not.toThrow();
  });
});
