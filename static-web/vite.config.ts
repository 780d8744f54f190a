import { defineConfig } from 'vitest/config';

// The dev server stands in for devhost: /api goes to the running society and /client (the relay's
// WebSocket path, when negotiate hands out a same-origin URL) is proxied with upgrades.
const backend = process.env.BOTSOCIETY_API ?? 'http://localhost:7480';

export default defineConfig({
  base: '/',
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
