/**
 * Stack traces of the bundled `gluon` name Gluon's TypeScript sources: a frame in a file under the bundle's
 * folder is looked up in that file's source map (`<file>.map`), read only when a trace is formatted.
 * Node's own support (`--enable-source-maps`) reads, parses and measures the map of every module at load,
 * some 20 ms of a server's start and the maps held for good, and keeps each map it decoded for good too.
 * Here a decoded map is dropped a minute after the last trace that needed it. Frames elsewhere (Node's,
 * the dependencies' outside the bundle) are printed as V8 prints them.
 */
import { readFileSync } from 'node:fs';
import { SourceMap } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** How long decoded maps are kept after the last trace that used one. */
const KEEP_MS = 60_000;

interface Place {
  /** `file:line:column` as V8 prints it in the frame. */
  generated: string;
  /** The same place in the original source. */
  original: string;
}

/**
 * Makes every stack trace formatted from now on map its frames in files under `root` (a `file:` URL of a
 * folder). Returns a function that puts the previous formatter back (tests).
 */
export function installStackTraces(root: URL): () => void {
  const rootPath = fileURLToPath(root);
  const maps = new Map<string, SourceMap | null>();
  let forget: NodeJS.Timeout | null = null;

  const mapOf = (file: string): SourceMap | null => {
    if (!maps.has(file)) maps.set(file, readMap(file));
    if (forget) forget.refresh();
    else forget = setTimeout(() => (maps.clear(), (forget = null)), KEEP_MS).unref();
    return maps.get(file) ?? null;
  };

  const placeOf = (site: NodeJS.CallSite): Place | null => {
    // A CommonJS file's frame names its path, an ES module's its URL.
    const name = site.getFileName();
    const line = site.getLineNumber();
    const column = site.getColumnNumber();
    const file = name?.startsWith('file:') ? fileURLToPath(name) : name;
    if (!name || !file?.startsWith(rootPath) || line === null || column === null) return null;
    const entry = mapOf(file)?.findEntry(line - 1, column - 1);
    if (!entry || !('originalSource' in entry) || !entry.originalSource) return null;
    const source = new URL(entry.originalSource, pathToFileURL(`${file}.map`));
    const shown = source.protocol === 'file:' ? fileURLToPath(source) : source.href;
    return {
      generated: `${name}:${line}:${column}`,
      original: `${shown}:${entry.originalLine + 1}:${entry.originalColumn + 1}`,
    };
  };

  const previous = Error.prepareStackTrace;
  Error.prepareStackTrace = (error: Error, sites: NodeJS.CallSite[]) => {
    const frames = sites.map((site) => {
      const text = String(site);
      let place: Place | null = null;
      try {
        place = placeOf(site);
      } catch {
        // An unreadable map: the frame as V8 prints it.
      }
      return `    at ${place ? text.replace(place.generated, place.original) : text}`;
    });
    return [headline(error), ...frames].join('\n');
  };
  return () => {
    Error.prepareStackTrace = previous;
    if (forget) clearTimeout(forget);
  };
}

/** A bundle file's source map, or null when it has none. */
function readMap(file: string): SourceMap | null {
  try {
    return new SourceMap(JSON.parse(readFileSync(`${file}.map`, 'utf8')));
  } catch {
    return null;
  }
}

/** The first line of a trace, as V8 writes it (`Name: message`). */
function headline(error: unknown): string {
  try {
    return Error.prototype.toString.call(error);
  } catch {
    return '<error>';
  }
}
