import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  decideInstall,
  readInstallState,
  TOOLS,
  writeMarker,
  type InstallState,
} from '../../scripts/install-state.mjs';

const HASH = 'a'.repeat(64);
const ready: InstallState = {
  nodeModules: true,
  missingTools: [],
  lockHash: HASH,
  marker: HASH,
  mismatched: [],
};

describe('decideInstall: when `npm test` / `npm start` run npm ci first', () => {
  it.each<[string, Partial<InstallState>, boolean, RegExp]>([
    ['fresh clone: no node_modules', { nodeModules: false, marker: null }, true, /node_modules is missing/],
    ['dev dependencies omitted', { missingTools: ['tsc', 'vitest'] }, true, /tsc, vitest not installed/],
    ['installed from this lock', {}, false, /installed from this package-lock/],
    ['lock changed since the install', { marker: 'b'.repeat(64) }, true, /changed since the last install/],
    [
      'lock changed, even if direct versions match',
      { marker: 'b'.repeat(64), mismatched: [] },
      true,
      /changed/,
    ],
    ['installed by hand, versions as locked', { marker: null }, false, /match package-lock/],
    ['installed by hand, a version differs', { marker: null, mismatched: ['zod@4.0.0≠4.6.7'] }, true, /zod/],
    ['installed by hand, a dependency missing', { marker: null, mismatched: ['pg@missing≠8.1'] }, true, /pg/],
    ['marker current but a tool deleted', { missingTools: ['vite'] }, true, /vite not installed/],
  ])('%s', (_name, patch, install, reason) => {
    const decision = decideInstall({ ...ready, ...patch });
    expect(decision.install).toBe(install);
    expect(decision.reason).toMatch(reason);
  });
});

describe('readInstallState: what decideInstall is given, read from a checkout', () => {
  let root: string;
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  /** A checkout whose lock names zod 4.6.7 and typescript 5.9.3; `installed` puts those versions in node_modules. */
  function checkout(installed?: Record<string, string>): string {
    root = mkdtempSync(path.join(os.tmpdir(), 'gluon-install-'));
    const lock = {
      lockfileVersion: 3,
      packages: {
        '': { dependencies: { zod: '^4.6.7' }, devDependencies: { typescript: '5.9' } },
        'node_modules/zod': { version: '4.6.7' },
        'node_modules/typescript': { version: '5.9.3', dev: true },
      },
    };
    writeFileSync(path.join(root, 'package-lock.json'), JSON.stringify(lock));
    if (!installed) return root;
    mkdirSync(path.join(root, 'node_modules', '.bin'), { recursive: true });
    for (const tool of TOOLS) writeFileSync(path.join(root, 'node_modules', '.bin', tool), '');
    for (const [name, version] of Object.entries(installed)) {
      mkdirSync(path.join(root, 'node_modules', name), { recursive: true });
      writeFileSync(path.join(root, 'node_modules', name, 'package.json'), JSON.stringify({ version }));
    }
    return root;
  }

  it('a fresh clone installs', () => {
    const state = readInstallState(checkout());
    expect(state).toMatchObject({ nodeModules: false, marker: null, missingTools: TOOLS });
    expect(decideInstall(state).install).toBe(true);
  });

  it('versions as locked and no marker: no install; a marker of the same lock keeps it so', () => {
    const dir = checkout({ zod: '4.6.7', typescript: '5.9.3' });
    expect(decideInstall(readInstallState(dir))).toMatchObject({ install: false });
    writeMarker(dir, readInstallState(dir).lockHash);
    expect(readInstallState(dir).marker).toBe(readInstallState(dir).lockHash);
    expect(decideInstall(readInstallState(dir)).install).toBe(false);
  });

  it('an edited lock after an install makes the marker stale', () => {
    const dir = checkout({ zod: '4.6.7', typescript: '5.9.3' });
    writeMarker(dir, readInstallState(dir).lockHash);
    writeFileSync(path.join(dir, 'package-lock.json'), '{"lockfileVersion":3,"packages":{}}');
    expect(decideInstall(readInstallState(dir))).toMatchObject({ install: true, reason: /changed/ });
  });

  it('an older installed version, a missing package or a missing tool is seen', () => {
    const dir = checkout({ zod: '4.0.0' });
    const state = readInstallState(dir);
    expect(state.mismatched).toEqual(['zod@4.0.0≠4.6.7', 'typescript@missing≠5.9.3']);
    rmSync(path.join(dir, 'node_modules', '.bin', 'tsc'));
    expect(readInstallState(dir).missingTools).toEqual(['tsc']);
  });
});
