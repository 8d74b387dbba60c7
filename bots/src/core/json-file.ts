/**
 * The bots' small state files under `$GLUON_HOME/bots/`: read with a schema (a missing or damaged file
 * reads as the fallback, never a crash), written atomically (temp file, then rename) with mode 600.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { writeFile, rename } from 'node:fs/promises';
import path from 'node:path';
import type { z } from 'zod';

/** `$GLUON_HOME/bots`, created (mode 700) on first use. */
export function botsDir(home: string): string {
  const dir = path.join(home, 'bots');
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  return dir;
}

/** Reads a JSON file through `schema`; missing, unreadable or invalid content gives `fallback()`. */
export function readJson<T>(file: string, schema: z.ZodType<T>, fallback: () => T): T {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return fallback();
  }
  try {
    const parsed = schema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : fallback();
  } catch {
    return fallback();
  }
}

/** Writes `value` as JSON so that a reader sees the old file or the new one, never half of one. */
export function writeJsonSync(file: string, value: unknown): void {
  const temp = `${file}.${randomBytes(4).toString('hex')}.tmp`;
  writeFileSync(temp, `${JSON.stringify(value, null, 1)}\n`, { mode: 0o600 });
  renameSync(temp, file);
}

/** The asynchronous twin of {@link writeJsonSync}. */
export async function writeJson(file: string, value: unknown): Promise<void> {
  const temp = `${file}.${randomBytes(4).toString('hex')}.tmp`;
  await writeFile(temp, `${JSON.stringify(value, null, 1)}\n`, { mode: 0o600 });
  await rename(temp, file);
}

/**
 * Serializes writes of one file: each `save()` writes the latest value after the previous write ended,
 * and resolves once a write that includes the caller's change is on disk.
 */
export function createWriter(file: string, snapshot: () => unknown): { save(): Promise<void> } {
  let chain: Promise<void> = Promise.resolve();
  return {
    save() {
      chain = chain.catch(() => undefined).then(() => writeJson(file, snapshot()));
      return chain;
    },
  };
}
