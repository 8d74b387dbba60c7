/**
 * Vite build of the web cockpit: `vite build --config web/vite.config.ts` writes web/dist, which the
 * server serves (server/src/transport/static.ts). Two entries: the app (index.html, hashed assets) and
 * the service worker, which keeps a fixed name (/sw.js) so that its scope is the whole origin.
 * In development, `vite --config web/vite.config.ts` proxies /api (HTTP and WebSocket) to `gluon serve`.
 */
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));
const api = process.env.GLUON_URL ?? 'http://127.0.0.1:45866';

export default defineConfig({
  root,
  base: '/',
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // No inline scripts or styles: the server's CSP is `default-src 'self'`.
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    rollupOptions: {
      input: {
        main: fileURLToPath(new URL('index.html', import.meta.url)),
        sw: fileURLToPath(new URL('src/sw/service-worker.ts', import.meta.url)),
      },
      output: {
        entryFileNames: (chunk) => (chunk.name === 'sw' ? 'sw.js' : 'assets/[name]-[hash].js'),
      },
    },
  },
  server: {
    proxy: {
      '/api': {
        target: api,
        ws: true,
        // The server accepts only its own Origin; the dev server is another one.
        configure: (proxy) => {
          proxy.on('proxyReq', (req) => req.setHeader('origin', api));
          proxy.on('proxyReqWs', (req) => req.setHeader('origin', api));
        },
      },
    },
  },
});
