/**
 * What the typed client's method groups share: the two ways a call goes (`send` for the raw answer,
 * `request` for its parsed JSON) and the query string of a call.
 */

/** One call: a JSON body or raw bytes; the answer, or an ApiError. */
export type Send = (method: string, path: string, body?: unknown, raw?: Blob) => Promise<Response>;
/** One call whose answer is JSON, parsed. */
export type Request = <T>(method: string, path: string, body?: unknown, raw?: Blob) => Promise<T>;

/** `?a=1&b=x` of the parameters that have a value ('' when none has). */
export function query(params: Record<string, string | number | undefined>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined && value !== '') search.set(key, String(value));
  }
  const text = search.toString();
  return text ? `?${text}` : '';
}
