/** Gluon's version, shown by `/api/health` and `gluon --version`. */
export const VERSION = '0.1.0';
