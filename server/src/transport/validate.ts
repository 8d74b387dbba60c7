/**
 * Request validation with the shared zod schemas: bad input becomes a 400 `invalid_input` naming the field.
 */
import { z } from 'zod';
import { invalidInput } from '../errors.js';

export function parse<S extends z.ZodType>(schema: S, value: unknown, what: string): z.output<S> {
  const result = schema.safeParse(value ?? {});
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const where = issue?.path.length ? `${issue.path.join('.')}: ` : '';
  throw invalidInput(
    `invalid ${what}: ${where}${issue?.message ?? 'bad value'}`,
    result.error.issues.slice(0, 10),
  );
}

/** The query of a route that takes none: any parameter is an unknown one (400), as everywhere else. */
export const noQuery = z.strictObject({});
