/**
 * Runs the fake Anthropic API as a process for the demo and the benchmark:
 * `tsx fakes/anthropic/main.ts [--port N] [--host H] [--latency MS]`, or the env vars
 * FAKE_ANTHROPIC_PORT / FAKE_ANTHROPIC_HOST / FAKE_ANTHROPIC_LATENCY_MS. Prints the URL as the first
 * stdout line, so a parent process can read it, and runs until SIGINT/SIGTERM.
 */
import { parseArgs } from 'node:util';
import { startFakeAnthropic } from './server.js';

function toInt(name: string, raw: string | undefined): number | undefined {
  if (raw === undefined || raw === '') return undefined;
  if (!/^\d+$/.test(raw)) throw new Error(`${name} must be a non-negative integer, got "${raw}"`);
  return Number(raw);
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { port: { type: 'string' }, host: { type: 'string' }, latency: { type: 'string' } },
  });
  const fake = await startFakeAnthropic({
    port: toInt('--port', values.port ?? process.env.FAKE_ANTHROPIC_PORT),
    host: values.host ?? process.env.FAKE_ANTHROPIC_HOST,
    latencyMs: toInt('--latency', values.latency ?? process.env.FAKE_ANTHROPIC_LATENCY_MS),
  });
  process.stdout.write(`${fake.url}\n`);
  const stop = (): void => {
    fake.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
  process.stderr.write(`fake-anthropic: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(2);
});
