/**
 * What every command gets: where to write, the environment, the colour styles, and a way to build the API
 * client from the global `--server` option. Tests pass their own streams and environment.
 */
import type { Command } from 'commander';
import { createClient, type GluonClient } from '../../shared/client.js';
import { resolveServerConfig, type ServerConfig } from './config.js';
import { createStyle, shouldColor, type Style } from './format.js';

/** The process surface the CLI uses; `process.*` in production, fakes in tests. */
export interface CliIo {
  stdout: { write(chunk: string): unknown; isTTY?: boolean };
  stderr: { write(chunk: string): unknown };
  env: NodeJS.ProcessEnv;
  cwd: string;
}

export interface CliContext {
  io: CliIo;
  style: Style;
  /** Writes one line to stdout. */
  out(line: string): void;
  /** Writes one line to stderr. */
  err(line: string): void;
  /** Prints a value as JSON (the `--json` output). */
  printJson(value: unknown): void;
  /** Builds the API client from `--server` (on any command) and the environment. */
  connect(command: Command): { client: GluonClient; config: ServerConfig };
  /** The server configuration of the last `connect`, to explain a 401. */
  readonly config: ServerConfig | undefined;
}

/** Creates the context for one CLI invocation. */
export function createContext(io: CliIo): CliContext {
  let config: ServerConfig | undefined;
  return {
    io,
    style: createStyle(shouldColor(io.env, io.stdout.isTTY)),
    out: (line) => void io.stdout.write(`${line}\n`),
    err: (line) => void io.stderr.write(`${line}\n`),
    printJson: (value) => void io.stdout.write(`${JSON.stringify(value, null, 2)}\n`),
    connect(command) {
      const server = (command.optsWithGlobals() as { server?: string }).server;
      config = resolveServerConfig(io.env, server);
      const headers = () => ({ 'x-gluon-surface': 'cli' });
      return { client: createClient({ baseUrl: config.baseUrl, token: config.token, headers }), config };
    },
    get config() {
      return config;
    },
  };
}
