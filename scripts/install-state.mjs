// Whether `npm start` / `npm test` must install dependencies first (`npm ci`), decided from the state of
// node_modules against package-lock.json. The decision is a pure function (`decideInstall`); reading the
// state from disk and writing the marker after an install are the two small helpers around it.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/** Written into node_modules after a successful `npm ci`: the sha256 of the package-lock.json it installed. */
export const MARKER = '.gluon-install-lock-hash';
/** Tools the scripts run from node_modules/.bin; one missing is what "tsc: not found" looks like. */
export const TOOLS = ['tsc', 'vite', 'vitest'];

/**
 * Decides whether to install. Rules, in order:
 * 1. no node_modules → install;
 * 2. a tool the build or the tests run is missing (e.g. dev dependencies omitted) → install;
 * 3. the marker names this lock's hash → up to date;
 * 4. the marker names another hash → the lock changed since the last install → install;
 * 5. no marker (installed by hand): a direct dependency whose installed version is not the locked one,
 *    or that is not installed at all → install; otherwise up to date.
 * @param {{ nodeModules: boolean, missingTools: string[], lockHash: string, marker: string | null,
 *   mismatched: string[] }} state
 * @returns {{ install: boolean, reason: string }}
 */
export function decideInstall(state) {
  if (!state.nodeModules) return { install: true, reason: 'node_modules is missing' };
  if (state.missingTools.length > 0)
    return { install: true, reason: `${state.missingTools.join(', ')} not installed` };
  if (state.marker === state.lockHash)
    return { install: false, reason: 'installed from this package-lock.json' };
  if (state.marker !== null)
    return { install: true, reason: 'package-lock.json changed since the last install' };
  if (state.mismatched.length > 0)
    return { install: true, reason: `not as locked: ${state.mismatched.slice(0, 3).join(', ')}` };
  return { install: false, reason: 'installed versions match package-lock.json' };
}

/** sha256 of a file's bytes, hex. */
export function hashFile(file) {
  return createHash('sha256').update(readFileSync(file)).digest('hex');
}

/** Direct dependencies whose installed version differs from package-lock.json's (`name@installed≠locked`). */
export function mismatchedDependencies(root) {
  const lock = JSON.parse(readFileSync(path.join(root, 'package-lock.json'), 'utf8'));
  const rootEntry = lock.packages?.[''] ?? {};
  const names = Object.keys({ ...rootEntry.dependencies, ...rootEntry.devDependencies });
  const out = [];
  for (const name of names) {
    const locked = lock.packages?.[`node_modules/${name}`]?.version;
    const manifest = path.join(root, 'node_modules', name, 'package.json');
    const installed = existsSync(manifest) ? JSON.parse(readFileSync(manifest, 'utf8')).version : 'missing';
    if (locked && installed !== locked) out.push(`${name}@${installed}≠${locked}`);
  }
  return out;
}

/** Reads everything `decideInstall` looks at. */
export function readInstallState(root) {
  const modules = path.join(root, 'node_modules');
  const nodeModules = existsSync(modules);
  const markerFile = path.join(modules, MARKER);
  return {
    nodeModules,
    missingTools: nodeModules ? TOOLS.filter((t) => !existsSync(path.join(modules, '.bin', t))) : TOOLS,
    lockHash: hashFile(path.join(root, 'package-lock.json')),
    marker: existsSync(markerFile) ? readFileSync(markerFile, 'utf8').trim() : null,
    mismatched: nodeModules ? mismatchedDependencies(root) : [],
  };
}

/** Records that node_modules now holds what this package-lock.json names. */
export function writeMarker(root, lockHash) {
  writeFileSync(path.join(root, 'node_modules', MARKER), `${lockHash}\n`);
}

/**
 * Installs with `npm ci` when `decideInstall` says so, then writes the marker. `run(cmd, args)` runs a
 * command in the checkout and exits the process if it fails.
 */
export function ensureDependencies(root, npm, run) {
  const state = readInstallState(root);
  const decision = decideInstall(state);
  if (!decision.install) return;
  console.log(`Installing dependencies (npm ci: ${decision.reason})…`);
  run(npm, ['ci', '--no-audit', '--no-fund']);
  writeMarker(root, state.lockHash);
}
