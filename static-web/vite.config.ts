import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Plugin } from 'vite';
import { defineConfig } from 'vitest/config';

// The dev server stands in for devhost: /api goes to the running society and /client (the relay's
// WebSocket path, when negotiate hands out a same-origin URL) is proxied with upgrades.
const backend = process.env.BOTSOCIETY_API ?? 'http://localhost:7480';

// The routes, headers and fallback of the site live once, at the repository root, where the deploy reads them; the
// build carries them into dist so the built site is whole wherever it is served (devhost, a Static Web App).
const staticWebAppConfig = fileURLToPath(new URL('../staticwebapp.config.json', import.meta.url));

function staticWebAppConfigPlugin(): Plugin {
  return {
    name: 'staticwebapp-config',
    apply: 'build',
    buildStart() {
      this.addWatchFile(staticWebAppConfig);
    },
    generateBundle() {
      this.emitFile({ type: 'asset', fileName: 'staticwebapp.config.json', source: readFileSync(staticWebAppConfig, 'utf8') });
    },
  };
}

export default defineConfig({
  base: '/',
  plugins: [staticWebAppConfigPlugin()],
  esbuild: { jsx: 'automatic', jsxImportSource: 'preact' },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // Big-screen browsers only: no legacy transforms.
    target: 'es2022',
  },
  server: {
    port: 5173,
    proxy: {
      '/api': { target: backend, changeOrigin: true },
      '/client': { target: backend, changeOrigin: true, ws: true },
    },
  },
  test: {
    environment: 'node',
    include: ['src/**/*.test.ts'],
  },
});
