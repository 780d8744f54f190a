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

/**
 * uPlot builds an Intl.NumberFormat and an Intl.DateTimeFormat when its module loads. The first Intl object of a page
 * loads ICU's locale and time zone data, which made the charts' module take ~135 ms of a phone's main thread on /stats
 * (the dashboard itself writes numbers and dates without Intl, see src/lib/format.ts). Both are made on first use here
 * instead; our charts label every axis and legend value themselves and give uPlot UTC dates, so neither is made at all.
 * The build fails if uPlot's text changes, so an upgrade cannot drop this silently.
 */
function uplotLazyIntlPlugin(): Plugin {
  const replacements: [string, string][] = [
    [
      "const numFormatter = new Intl.NumberFormat(domEnv ? nav.language : 'en-US');\nconst fmtNum = val => numFormatter.format(val);",
      "let numFormatter;\nconst fmtNum = val => (numFormatter ??= new Intl.NumberFormat(domEnv ? nav.language : 'en-US')).format(val);",
    ],
    ['const localTz = new Intl.DateTimeFormat().resolvedOptions().timeZone;', 'let localTz;'],
    ['else if (tz == localTz)', 'else if (tz == (localTz ??= new Intl.DateTimeFormat().resolvedOptions().timeZone))'],
  ];
  return {
    name: 'uplot-lazy-intl',
    transform(code, id) {
      if (!/[\\/]uplot[\\/]dist[\\/]uPlot\.esm\.js$/.test(id)) return null;
      let patched = code;
      for (const [from, to] of replacements) {
        if (!patched.includes(from)) this.error(`uplot-lazy-intl: uPlot no longer contains "${from.split('\n')[0]}"; check its Intl use again`);
        patched = patched.replace(from, to);
      }
      return { code: patched, map: null };
    },
  };
}

export default defineConfig({
  base: '/',
  plugins: [staticWebAppConfigPlugin(), uplotLazyIntlPlugin()],
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
