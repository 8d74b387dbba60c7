/**
 * The built `gluon`'s first code (entry `start` of scripts/bundle.mjs; bin/gluon.js requires it): what must
 * hold before any other file of the bundle is compiled, then the CLI itself (`gluon.js` beside it).
 * - V8's young generation does not grow past its first size (the flag `installProcessGuards` sets too):
 *   set here, before anything else, because V8's code cache is valid only under the flags it was made
 *   with; a flag changed later would make every cache written before it useless at the next start.
 * - The bundle's files are compiled with V8's code cache (`code-cache.ts`).
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { installCodeCache } from './code-cache.js';

setFlagsFromString('--semi-space-growth-factor=1');
const bundle = path.dirname(fileURLToPath(import.meta.url));
installCodeCache(bundle);
createRequire(import.meta.url)(path.join(bundle, 'gluon.js'));
