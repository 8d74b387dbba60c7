import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { cpuDuring, cpuTime } from '../../bench/cpu-time.js';

/** Spins until this process has used `ms` more CPU (as /proc counts it), at most 20 s of trying. */
function burn(ms: number): void {
  const start = process.cpuUsage();
  const until = Date.now() + 20_000;
  let x = 0;
  while (Date.now() < until) {
    for (let i = 0; i < 100_000; i++) x += Math.sqrt(i);
    const used = process.cpuUsage(start);
    if ((used.user + used.system) / 1000 >= ms) break;
  }
  expect(x).toBeGreaterThan(0);
}

describe('cpuTime', () => {
  it("reads a process's own CPU from /proc, not its children's", () => {
    const before = cpuTime('self');
    burn(200);
    const after = cpuTime('self');
    // Ticks of 10 ms: at least 150 of the 200 ms show as this process's own.
    expect(after.own - before.own).toBeGreaterThanOrEqual(150);
    expect(after.children).toBe(before.children);
    expect(cpuTime(process.pid)).toMatchObject({ children: after.children });
  });

  it("counts a child once it has exited and was waited for, as its parent's children", async () => {
    const { cpu } = await cpuDuring('self', async () => {
      const child = spawn(process.execPath, [
        '-e',
        'const s = process.cpuUsage(); while ((process.cpuUsage(s).user + process.cpuUsage(s).system) < 300_000);',
      ]);
      await new Promise((resolve) => child.once('exit', resolve));
      return {};
    });
    expect(cpu.children).toBeGreaterThanOrEqual(250);
    expect(cpu.own).toBeLessThan(cpu.children);
  });
});
