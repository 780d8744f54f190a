import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { OutputBundle, OutputChunk } from 'rollup';
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

/**
 * The views app.tsx loads on demand, by app.tsx's route patterns, with the modules each needs before it can paint: its
 * own and, where it draws charts at once, the charts' (uPlot). Activity, the landing view, is in the first bundle. A
 * route left out here still works; its first visit is only slower.
 */
const routeModules: { route: string; modules: string[] }[] = [
  { route: '/stats', modules: ['src/components/Stats/index.tsx', 'src/components/Stats/charts.tsx'] },
  // A profile's first tab, the overview, charts the bot's usage and reputation; its other tabs draw none.
  { route: '/bots/:id', modules: ['src/components/BotProfile/index.tsx', 'src/components/Stats/charts.tsx'] },
  { route: '/bots/:id/:tab', modules: ['src/components/BotProfile/index.tsx'] },
  { route: '/bots', modules: ['src/components/Bots/index.tsx'] },
  { route: '/threads', modules: ['src/components/Threads/index.tsx'] },
  { route: '/threads/:id', modules: ['src/components/Thread/index.tsx'] },
  { route: '/activity/:id', modules: ['src/components/ActivityDetail/index.tsx'] },
  { route: '/memory/:id?', modules: ['src/components/Memory/index.tsx'] },
  { route: '/alerts', modules: ['src/components/Alerts/index.tsx'] },
  { route: '/graph', modules: ['src/components/Graph/index.tsx'] },
  { route: '/replay', modules: ['src/components/Replay/index.tsx'] },
];

/** A preact-iso route ("/bots/:id/:tab?") as a regular expression over location.pathname. */
function routePattern(route: string): string {
  const segments = route.split('/').filter(Boolean).map((segment) => {
    if (!segment.startsWith(':')) return `/${segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`;
    return segment.endsWith('?') ? '(?:/[^/]+)?' : '/[^/]+';
  });
  return `^${segments.join('')}/?$`;
}

/**
 * A first visit to a view that loads on demand used to wait for the first bundle to download and run before asking
 * for the view's code, then for that code to run before asking for the charts': three downloads one after another on
 * a slow phone network. This puts a small script ahead of the first bundle that, by the address, preloads that view's
 * chunks, their CSS and the charts' chunk at once, beside the first bundle. The lists come from the bundle Rollup
 * wrote, so they follow every change of code and hash; a module that is in no chunk (a stale path) or in the first
 * bundle (no longer loaded on demand) fails the build.
 * The script is a file of its own, not inline: the site's Content-Security-Policy allows scripts from 'self' only.
 */
function routePreloadPlugin(): Plugin {
  let root = '';
  let base = '/';
  return {
    name: 'route-preload',
    apply: 'build',
    // After Vite's HTML plugin, so index.html is in the bundle to be edited.
    enforce: 'post',
    configResolved(config) {
      root = config.root;
      base = config.base;
    },
    generateBundle(_options, bundle) {
      const chunks = Object.values(bundle).filter((file): file is OutputChunk => file.type === 'chunk');
      const entry = chunks.find((chunk) => chunk.isEntry);
      if (!entry) this.error('route-preload: the bundle has no entry chunk');
      // What the first bundle imports statically is on its way already; only the rest is worth a preload.
      const loaded = staticClosure(bundle, [entry.fileName]);
      const routes = routeModules.map(({ route, modules }) => {
        const starts = modules.map((module) => {
          const id = resolve(root, module);
          // The chunk that holds the module: its facade when only import() loads it, a shared chunk when another
          // lazy view imports it too (Bots, which the profile reuses).
          const chunk = chunks.find((c) => c.moduleIds.includes(id));
          if (!chunk) this.error(`route-preload: ${module} (route ${route}) is in no chunk; routeModules has a stale path`);
          if (loaded.has(chunk.fileName)) this.error(`route-preload: ${module} (route ${route}) is in the first bundle; drop it from routeModules`);
          return chunk.fileName;
        });
        const files = [...staticClosure(bundle, starts)].filter((file) => !loaded.has(file));
        const styles = files.flatMap((file) => [...((bundle[file] as OutputChunk).viteMetadata?.importedCss ?? [])]);
        return [routePattern(route), files.map((f) => base + f), [...new Set(styles)].map((f) => base + f)];
      });
      // CSS is preloaded, not applied: Vite's loader still adds each stylesheet when the view's import runs and waits
      // for it, so a view never paints unstyled. crossOrigin as Vite's own links, so the loader finds the preloads.
      const source = `// Written by route-preload (vite.config.ts): preloads the chunks of the view this address shows.
{
  const routes = ${JSON.stringify(routes)};
  const route = routes.find(([pattern]) => new RegExp(pattern).test(location.pathname));
  if (route) {
    const add = (rel, href, as) => {
      const link = document.createElement('link');
      link.rel = rel;
      link.href = href;
      if (as) link.as = as;
      link.crossOrigin = '';
      document.head.appendChild(link);
    };
    for (const href of route[1]) add('modulepreload', href);
    for (const href of route[2]) add('preload', href, 'style');
  }
}
`;
      const fileName = `assets/route-preload-${createHash('sha256').update(source).digest('base64url').slice(0, 8)}.js`;
      this.emitFile({ type: 'asset', fileName, source });
      const html = bundle['index.html'];
      const entryTag = '<script type="module"';
      if (html?.type !== 'asset' || typeof html.source !== 'string' || !html.source.includes(entryTag)) {
        this.error('route-preload: index.html with a module script was not found in the bundle');
      }
      // Async: it runs as soon as it arrives, while the entry still downloads, and holds up neither the parser nor
      // the first paint of a page that needs none of it (/).
      html.source = html.source.replace(entryTag, `<script async src="${base}${fileName}"></script>\n    ${entryTag}`);
    },
  };
}

/** The chunks `starts` load, with everything they import statically, transitively. */
function staticClosure(bundle: OutputBundle, starts: string[]): Set<string> {
  const seen = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    const chunk = bundle[file];
    if (chunk?.type === 'chunk') chunk.imports.forEach(visit);
  };
  starts.forEach(visit);
  return seen;
}

export default defineConfig({
  base: '/',
  plugins: [staticWebAppConfigPlugin(), uplotLazyIntlPlugin(), routePreloadPlugin()],
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
