/**
 * Real Chromium for the web tests and the web benchmark: Debian's `chromium` driven by playwright-core,
 * headless, with a fresh profile each time, and the dashboard's build (web/dist) made if it is missing.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

/** The checkout: found by walking up (this file also runs compiled, from dist/test/web). */
function findRoot(from: string): string {
  for (let dir = from; path.dirname(dir) !== dir; dir = path.dirname(dir))
    if (existsSync(path.join(dir, 'package.json')) && existsSync(path.join(dir, 'web', 'vite.config.ts')))
      return dir;
  throw new Error(`no Gluon checkout above ${from}`);
}

export const ROOT = findRoot(import.meta.dirname);
export const SCREENSHOTS = path.join(ROOT, 'test-artifacts', 'screenshots');
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

const ARGS = [
  '--headless=new',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Builds web/dist with Vite when it is not there (npm run build normally made it). */
export async function ensureWebBuilt(): Promise<void> {
  if (existsSync(path.join(ROOT, 'web', 'dist', 'index.html'))) return;
  const { build } = await import('vite');
  await build({ configFile: path.join(ROOT, 'web', 'vite.config.ts'), logLevel: 'warn' });
}

export interface Browser {
  context: BrowserContext;
  close(): Promise<void>;
}

/** Starts Chromium with a fresh user-data directory; `close()` stops it and removes the profile. */
export async function launchChromium(
  options: { viewport?: { width: number; height: number } } = {},
): Promise<Browser> {
  const profile = mkdtempSync(path.join(os.tmpdir(), 'gluon-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: ARGS,
    viewport: options.viewport ?? { width: 1400, height: 900 },
  });
  return {
    context,
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** Saves a full-page screenshot as test-artifacts/screenshots/<name>.png. */
export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: false });
}
