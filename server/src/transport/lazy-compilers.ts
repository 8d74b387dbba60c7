/**
 * Fastify's schema compilers (ajv, fast-json-stringify), loaded only if a route ever declares a JSON
 * schema. Gluon validates requests with zod (validate.ts), so a server normally never loads them; fastify
 * itself would load both in its constructor, a good part of a cold start.
 */
import { createRequire } from 'node:module';
import type { FastifyServerOptions } from 'fastify';

type Compilers = NonNullable<NonNullable<FastifyServerOptions['schemaController']>['compilersFactory']>;

type Builder = (...args: unknown[]) => unknown;
const fromFastify = createRequire(createRequire(import.meta.url).resolve('fastify'));

function lazy<F>(module: string): F {
  let built: Builder | null = null;
  const call: Builder = (...args) => (built ??= (fromFastify(module) as () => Builder)())(...args);
  return call as F;
}

/** For `Fastify({ schemaController: { compilersFactory } })`: the same compilers, built on first need. */
export const lazyCompilers: Compilers = {
  buildValidator: lazy<Compilers['buildValidator']>('@fastify/ajv-compiler'),
  buildSerializer: lazy<Compilers['buildSerializer']>('@fastify/fast-json-stringify-compiler'),
};
