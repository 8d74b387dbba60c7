import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { getPriority, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it, vi } from 'vitest';
import { AGENT_NICENESS, isAlive, isGroupAlive, yieldSessionsBelow, yieldToServer } from './process-group.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const tsx = path.join(here, '..', '..', '..', 'node_modules', 'tsx', 'dist', 'cli.mjs');

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

  // A kernel that schedules by session (autogroup) weighs each session alike whatever the nice values in it.
  const autogroup = (pid: number | 'self') => readFileSync(`/proc/${pid}/autogroup`, 'utf8').trim();
  it.runIf(existsSync('/proc/self/autogroup'))(
    "lowers the session of an agent started in one of its own, never the server's",
    () => {
      const own = autogroup('self');
      const detached = spawn('sleep', ['5'], { detached: true, stdio: 'ignore' });
      const attached = spawn('sleep', ['5'], { stdio: 'ignore' });
      try {
        yieldToServer(detached.pid!);
        yieldToServer(attached.pid!);
        expect(autogroup(detached.pid!)).toMatch(new RegExp(` nice ${AGENT_NICENESS}$`));
        expect(autogroup(detached.pid!).split(' ')[0]).not.toBe(own.split(' ')[0]);
        expect(autogroup('self')).toBe(own);
        expect(autogroup(attached.pid!)).toBe(own);
      } finally {
        detached.kill('SIGKILL');
        attached.kill('SIGKILL');
      }
    },
  );

  it.runIf(existsSync('/proc/self/autogroup'))(
    'yieldSessionsBelow lowers the sessions an agent opened (as its sandbox does for each command)',
    async () => {
      const own = autogroup('self');
      // An agent in a session of its own, which starts a command in another session (setsid, as bwrap does).
      const agent = spawn('sh', ['-c', 'setsid sleep 5 & echo $!; wait'], {
        detached: true,
        stdio: ['ignore', 'pipe', 'ignore'],
      });
      const bystander = spawn('setsid', ['sleep', '5'], { stdio: 'ignore' });
      let command = 0;
      try {
        yieldToServer(agent.pid!);
        command = await new Promise<number>((resolve) =>
          agent.stdout!.once('data', (d: Buffer) => resolve(Number(String(d).trim()))),
        );
        // `$!` is known before the command's own setsid has run: wait until it has a session of its own.
        const group = (pid: number) => autogroup(pid).split(' ')[0];
        await vi.waitFor(() => expect(group(command)).not.toBe(group(agent.pid!)), { interval: 10 });
        expect(autogroup(command)).toMatch(/ nice 0$/);
        expect(await yieldSessionsBelow([agent.pid!])).toBe(1);
        expect(autogroup(command)).toMatch(new RegExp(` nice ${AGENT_NICENESS}$`));
        expect(await yieldSessionsBelow([agent.pid!])).toBe(0);
        // Sessions not below an agent, and the server's own, are left alone.
        expect(autogroup(bystander.pid!)).toMatch(/ nice 0$/);
        expect(autogroup('self')).toBe(own);
      } finally {
        process.kill(-agent.pid!, 'SIGKILL');
        if (command) process.kill(command, 'SIGKILL');
        bystander.kill('SIGKILL');
      }
    },
  );

  // An unprivileged process may change one session's nice value per 100 ms: the rest wait their turn.
  it.runIf(existsSync('/proc/self/autogroup') && process.getuid?.() === 0)(
    'lowers every session of agents started together, as an unprivileged server too',
    () => {
      const script = `
        const { spawn } = await import('node:child_process');
        const { readFileSync } = await import('node:fs');
        const { yieldToServer } = await import(${JSON.stringify(path.join(here, 'process-group.ts'))});
        const agents = [1, 2, 3].map(() => spawn('sleep', ['5'], { detached: true, stdio: 'ignore' }));
        for (const a of agents) yieldToServer(a.pid);
        await new Promise((r) => setTimeout(r, 600));
        console.log(JSON.stringify(agents.map((a) => readFileSync('/proc/' + a.pid + '/autogroup', 'utf8').trim())));
        for (const a of agents) a.kill('SIGKILL');
      `;
      const nobody = spawnSync(process.execPath, [tsx, '--input-type=module', '-e', script], {
        encoding: 'utf8',
        uid: 65534,
        gid: 65534,
        cwd: tmpdir(),
        env: { PATH: process.env.PATH, HOME: tmpdir() },
      });
      expect(nobody.status, nobody.stderr).toBe(0);
      const groups = JSON.parse(nobody.stdout) as string[];
      expect(groups).toHaveLength(3);
      for (const g of groups) expect(g).toMatch(new RegExp(` nice ${AGENT_NICENESS}$`));
    },
  );

  it('a process already gone is no error', () => {
    expect(() => yieldToServer(2 ** 22 + 12345)).not.toThrow();
  });
});

describe('isGroupAlive', () => {
  const exited = (child: ReturnType<typeof spawn>) => new Promise((r) => child.once('exit', r));

  it('is true while the leader runs, and while a member does after the leader left', async () => {
    // The leader starts a member in its group, says so, and exits on its own a moment later.
    const leader = spawn('sh', ['-c', 'sleep 5 & echo $!; sleep 0.2'], {
      detached: true,
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    const pgid = leader.pid!;
    try {
      const member = await new Promise<number>((resolve) =>
        leader.stdout!.once('data', (d: Buffer) => resolve(Number(String(d).trim()))),
      );
      expect(isGroupAlive(pgid)).toBe(true);
      await exited(leader);
      expect(isAlive(pgid)).toBe(false);
      expect(isAlive(member)).toBe(true);
      expect(isGroupAlive(pgid)).toBe(true);
      process.kill(-pgid, 'SIGKILL');
      await new Promise((r) => setTimeout(r, 100));
      expect(isGroupAlive(pgid)).toBe(false);
    } finally {
      try {
        process.kill(-pgid, 'SIGKILL');
      } catch {
        // Gone already.
      }
    }
  });

  it('is false for a group that never was', () => {
    expect(isGroupAlive(2 ** 22 + 12345)).toBe(false);
  });
});
