import { describe, expect, it } from 'vitest';
import { matchingGlob } from './path-glob.js';

describe('path globs', () => {
  it.each([
    ['.github/workflows/**', '.github/workflows/ci.yml', true],
    ['.github/workflows/**', '.github/workflows/deep/x.yml', true],
    ['.github/workflows/**', '.github/ci.yml', false],
    ['infra/**', 'infra', true],
    ['infra/**', 'infrastructure/x', false],
    ['infra', 'infra/main.tf', true],
    ['*.pem', 'keys/server.pem', true],
    ['*.pem', 'server.pem', true],
    ['*.pem', 'server.pem.txt', false],
    ['src/*.ts', 'src/a.ts', true],
    ['src/*.ts', 'src/sub/a.ts', false],
    ['src/**/*.ts', 'src/a.ts', true],
    ['src/**/*.ts', 'src/x/y/a.ts', true],
    ['{infra,deploy}/**', 'deploy/k8s.yaml', true],
    ['a?c', 'abc', true],
    ['a.c', 'abc', false],
    ['./secrets/**', 'secrets/x', true],
  ])('%s on %s → %s', (glob, path, expected) => {
    expect(matchingGlob(path, [glob]) !== null).toBe(expected);
  });
});
