/**
 * The server's log as JSON lines (pino): one object per message with its level, time and, for an error,
 * its type, message and stack. Secrets are hidden before a message reaches it (bootstrap wraps every log in
 * `redactingLog`, the domain's redaction); pino's own `redact` also censors credential fields should a
 * structured object ever carry one.
 */
import pino from 'pino';
import type { Log } from './log.js';

const CENSORED_FIELDS = [
  'token',
  'password',
  'authorization',
  'cookie',
  '*.token',
  '*.password',
  '*.authorization',
  '*.cookie',
  'req.headers.authorization',
  'req.headers.cookie',
];

/** A Log writing JSON lines to `destination` (stderr by default). */
export function jsonLog(destination: pino.DestinationStream = pino.destination({ fd: 2, sync: true })): Log {
  const logger = pino(
    {
      base: { name: 'gluon', pid: process.pid },
      redact: { paths: CENSORED_FIELDS, censor: '[REDACTED]' },
      serializers: { err: pino.stdSerializers.err },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    destination,
  );
  return (msg, err) => {
    if (err === undefined) logger.info(msg);
    else logger.error({ err: err instanceof Error ? err : new Error(String(err)) }, msg);
  };
}
