import { describe, expect, it } from 'vitest';
import { parseVerifyCommand, runVerifyCommand } from './verify-command.js';

const env = { PATH: process.env.PATH ?? '/usr/bin:/bin' };

describe('runVerifyCommand', () => {
  it('runs one command with its arguments, no shell, and keeps its output and exit code', async () => {
    const passed = await runVerifyCommand(`node -e "console.log('ok; $HOME')"`, process.cwd(), env, 60_000);
    expect(passed).toEqual({ exitCode: 0, output: 'ok; $HOME\n', timedOut: false });
    const failed = await runVerifyCommand('node -e "process.exit(3)"', process.cwd(), env, 60_000);
    expect(failed).toMatchObject({ exitCode: 3, timedOut: false });
  });

  it('says why a command could not start or is not one simple command', async () => {
    const missing = await runVerifyCommand('no-such-command-here', process.cwd(), env, 60_000);
    expect(missing).toMatchObject({ exitCode: null, timedOut: false });
    expect(missing.output).toContain('could not run no-such-command-here');
    expect(parseVerifyCommand('npm test && rm -rf /')).toMatchObject({ ok: false });
  });

  it('ends a command that runs past its time, with no exit code', async () => {
    const outcome = await runVerifyCommand('node -e "setInterval(() => {}, 1000)"', process.cwd(), env, 300);
    expect(outcome).toMatchObject({ exitCode: null, timedOut: true });
  });
});
