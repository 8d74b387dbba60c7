/**
 * The built `gluon`'s first code (entry `start` of scripts/bundle.mjs; bin/gluon.js requires it): the
 * bundle's files are compiled with V8's code cache from here on (`code-cache.ts`), then the CLI itself
 * (`gluon.js` beside it) runs.
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { installCodeCache } from './code-cache.js';

const bundle = path.dirname(fileURLToPath(import.meta.url));
installCodeCache(bundle);
createRequire(import.meta.url)(path.join(bundle, 'gluon.js'));
