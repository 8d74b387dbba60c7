/**
 * Where the Codex CLI lives. The npm package `@openai/codex` ships a Node launcher that finds the native
 * binary of this platform in an optional dependency and runs it; on Node 20 the launcher stays alive as a
 * parent that forwards signals. Gluon runs the native binary itself when it can find it (one process, which
 * gets the stop signals first hand), and the launcher otherwise.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

export interface CodexCommand {
  command: string;
  /** Arguments that come before Codex's own (the launcher script when Node runs it). */
  prefix: string[];
}

/** The platform packages of @openai/codex and the target triple of the binary each one carries. */
const TARGETS: Record<string, [pkg: string, triple: string]> = {
  'linux-x64': ['@openai/codex-linux-x64', 'x86_64-unknown-linux-musl'],
  'linux-arm64': ['@openai/codex-linux-arm64', 'aarch64-unknown-linux-musl'],
  'darwin-x64': ['@openai/codex-darwin-x64', 'x86_64-apple-darwin'],
  'darwin-arm64': ['@openai/codex-darwin-arm64', 'aarch64-apple-darwin'],
};

/**
 * How to run Codex.
 * Rules: a configured executable wins; else the native binary of the installed platform package; else
 * the package's launcher under this Node; a missing package is an error naming it.
 */
export function resolveCodexCommand(executable?: string): CodexCommand {
  if (executable) return { command: executable, prefix: [] };
  const require = createRequire(import.meta.url);
  const target = TARGETS[`${process.platform}-${process.arch}`];
  if (target) {
    try {
      const root = path.dirname(require.resolve(`${target[0]}/package.json`));
      const binary = path.join(root, 'vendor', target[1], 'bin', 'codex');
      if (existsSync(binary)) return { command: binary, prefix: [] };
    } catch {
      // No platform package: the launcher below says what is missing.
    }
  }
  try {
    return { command: process.execPath, prefix: [require.resolve('@openai/codex/bin/codex.js')] };
  } catch {
    throw new Error('the Codex CLI is not installed (npm package @openai/codex)');
  }
}
