#!/usr/bin/env node
// `npm start`: installs dependencies if needed, builds if the sources changed, then runs `gluon serve`
// (arguments after `--` are passed on, e.g. `npm start -- --port 8080`).
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureDependencies } from './install-state.mjs';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const run = (cmd, args) => {
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
};

/** The newest modification time under a file or directory (skipping node_modules, dist and dot files). */
function newestMtime(dir) {
  if (!statSync(dir).isDirectory()) return statSync(dir).mtimeMs;
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name === 'dist' || entry.name.startsWith('.')) continue;
    const p = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(p) : statSync(p).mtimeMs);
  }
  return newest;
}

ensureDependencies(root, npm, run);
const stamp = path.join(root, 'dist', '.built');
const sources = [
  'shared',
  'server',
  'cli',
  'bots',
  'mcp',
  'fakes',
  'bench',
  'web',
  // How it is built: the bundler's script, the compiler's settings, the build command itself.
  'scripts',
  'tsconfig.json',
  'tsconfig.build.json',
  'package.json',
  'package-lock.json',
].filter((d) => existsSync(path.join(root, d)));
const newest = Math.max(...sources.map((d) => newestMtime(path.join(root, d))));
if (!existsSync(stamp) || statSync(stamp).mtimeMs < newest) {
  console.log('Building…');
  run(npm, ['run', '--silent', 'build']);
}
run(process.execPath, [path.join(root, 'bin', 'gluon.js'), 'serve', ...process.argv.slice(2)]);
