/**
 * The `gluon` executable's entry (`bin/gluon.js` imports the build of this file): runs the CLI on the
 * process arguments and sets the exit code. A closed pipe (`gluon logs x | head`) ends quietly. Stack
 * traces through the bundle name the TypeScript sources (`stack-traces.ts`).
 */
import { registerServe } from './commands/serve.js';
import { registerWorker } from './commands/worker.js';
import { runCli } from './program.js';
import { installStackTraces } from './stack-traces.js';

installStackTraces(new URL('.', import.meta.url));

process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});

// No top-level await: the bundle is CommonJS (scripts/bundle.mjs).
runCli(
  process.argv.slice(2),
  {
    stdout: process.stdout,
    stderr: process.stderr,
    env: process.env,
    cwd: process.cwd(),
  },
  [registerServe, registerWorker],
).then(
  (code) => (process.exitCode = code),
  (error: unknown) => {
    // What runCli does not turn into a message and an exit code is a bug: its stack, exit 1.
    process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
    process.exitCode = 1;
  },
);
