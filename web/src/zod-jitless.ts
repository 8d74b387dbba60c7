/**
 * Zod without `new Function`: imported first by main.tsx, before any module builds a schema, because zod 4
 * decides at schema creation whether to compile parsers, and its probe (`new Function('')`) is a violation
 * of the dashboard's CSP (`default-src 'self'`, no 'unsafe-eval') that Chromium logs on every load.
 */
import { z } from 'zod';

z.config({ jitless: true });
