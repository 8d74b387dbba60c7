/**
 * `node dist/server/src/main.js`: starts the server with the data directory from GLUON_HOME (for
 * development; users run `gluon serve`).
 */
import { gluonHome } from './config.js';
import { installProcessGuards, pinYoungGeneration } from './process-guards.js';
import { startServer } from './server.js';

installProcessGuards();

const server = await startServer({ home: gluonHome() });
console.log(`Gluon is serving on ${server.url}`);
pinYoungGeneration();
const exitAfterClose = (failure?: unknown) => {
  if (failure) console.error('Gluon did not close cleanly:', failure);
  process.exit(failure ? 1 : 0);
};
const stop = () => server.close().then(() => exitAfterClose(), exitAfterClose);
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
