/**
 * The bundle's stack traces: a frame in a file under the bundle's folder names the TypeScript source,
 * line and column (from the file's map, read when the trace is formatted); other frames stay as V8
 * prints them. Bundled with esbuild as the build does and run by plain Node, as `gluon` runs.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { afterAll, describe, expect, it } from 'vitest';

const dir = mkdtempSync(path.join(tmpdir(), 'gluon-traces-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const here = path.dirname(fileURLToPath(import.meta.url));

/** Bundles `main` (TypeScript, beside a thrower) into `<dir>/<name>/`, runs it, and returns its output. */
async function runBundled(
  name: string,
  main: string,
  maps: boolean,
  format: 'esm' | 'cjs' = 'esm',
): Promise<{ out: string; thrower: string }> {
  const src = path.join(dir, name, 'src');
  mkdirSync(src, { recursive: true });
  const thrower = path.join(src, 'thrower.ts');
  writeFileSync(
    thrower,
    [
      'interface Box { value: number }',
      '',
      'export function explode(box: Box): never {',
      '  throw new Error(`exploded at ${box.value}`);',
      '}',
      '',
    ].join('\n'),
  );
  writeFileSync(path.join(src, 'main.ts'), main.replaceAll('@TRACES@', path.join(here, 'stack-traces.js')));
  const outfile = path.join(dir, name, 'bundle', 'main.js');
  await build({
    entryPoints: [path.join(src, 'main.ts')],
    bundle: true,
    platform: 'node',
    format,
    sourcemap: maps ? 'linked' : false,
    outfile,
    // As scripts/bundle.mjs makes the CommonJS bundle: `import.meta.url` is the file's own URL.
    ...(format === 'cjs' && {
      define: { 'import.meta.url': '__fileUrl' },
      banner: { js: "const __fileUrl = require('node:url').pathToFileURL(__filename).href;" },
    }),
  });
  if (format === 'cjs') writeFileSync(path.join(dir, name, 'bundle', 'package.json'), '{"type":"commonjs"}');
  return { out: execFileSync(process.execPath, [outfile], { encoding: 'utf8' }), thrower };
}

const MAIN = `
import { installStackTraces } from '@TRACES@';
import { explode } from './thrower.js';
installStackTraces(new URL('.', import.meta.url));
try {
  explode({ value: 7 });
} catch (err) {
  console.log((err as Error).stack);
}
try {
  JSON.parse('{');
} catch (err) {
  console.log((err as Error).stack);
}
`;

describe('stack traces of the bundle', () => {
  it.each(['esm', 'cjs'] as const)(
    'name the TypeScript source, line and column of a bundled frame, and leave Node’s frames alone (%s)',
    async (format) => {
      const { out, thrower } = await runBundled(`mapped-${format}`, MAIN, true, format);
      const lines = out.split('\n');
      expect(lines[0]).toBe('Error: exploded at 7');
      expect(lines[1]).toBe(`    at explode (${thrower}:4:9)`);
      expect(lines[2]).toMatch(
        new RegExp(
          `^    at .*${path.join(dir, `mapped-${format}`, 'src', 'main.ts').replaceAll('/', '\\/')}:6:3\\)?$`,
        ),
      );
      expect(out).not.toContain('bundle/main.js');
      // A frame of Node's own stays as V8 prints it.
      expect(out).toMatch(/SyntaxError: .*JSON[\s\S]*at JSON\.parse \(<anonymous>\)/);
    },
  );

  it('a bundle without maps keeps its frames as they are', async () => {
    const { out } = await runBundled('plain', MAIN, false);
    expect(out.split('\n')[0]).toBe('Error: exploded at 7');
    expect(out.split('\n')[1]).toMatch(/^ {4}at explode \(file:\/\/.*\/plain\/bundle\/main\.js:\d+:\d+\)$/);
  });
});
