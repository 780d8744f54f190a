// The dashboard's first load, measured in Debian's Chromium against devhost on a fast-forwarded society:
//   - the JavaScript a first visit to / downloads, gzipped as a server would send it (target: 150 KiB or less);
//   - the time from navigation to the first activity item on screen, with the browser cache off, on a warm devhost;
//   - Lighthouse's scores (performance, accessibility, best practices, SEO) for / and /stats, mobile and desktop
//     (targets: performance >= 95 on mobile, accessibility 100, best practices 100).
// Run by bench/dashboard.sh, which builds what it needs; it uses the browser suite's start-up code and packages, and
// Lighthouse from bench/package.json. Settings:
//   LOADS=20            timed loads (0: none)
//   LIGHTHOUSE=0        no Lighthouse runs
//   LH_RUNS=3           Lighthouse runs per page and form; the run with the median performance score is shown
//   DASHBOARD_URL=...   measure a devhost that is already running instead of starting one
//   LH_SAVE=dir         also write each Lighthouse report's JSON there (page-form-run.json), to read its audits
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { startBackend, repo } from '../tests/e2e/support/backend.mjs';
import { launchBrowser } from '../tests/e2e/support/browser.mjs';

const loads = Number(process.env.LOADS ?? 20);
const runLighthouse = process.env.LIGHTHOUSE !== '0';
const lighthouseRuns = Math.max(1, Number(process.env.LH_RUNS ?? 3));
const saveTo = process.env.LH_SAVE;
const chromium = process.env.CHROMIUM ?? '/usr/bin/chromium';
const targetKiB = 150;
const dist = path.join(repo, 'static-web/dist');

const kib = (bytes) => `${(bytes / 1024).toFixed(1)} KiB`;
const ms = (t) => `${t.toFixed(0)} ms`;
const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)];

const backend = process.env.DASHBOARD_URL ? { url: process.env.DASHBOARD_URL.replace(/\/$/, ''), stop: async () => {} } : await startBackend({ days: 1 });
try {
  await firstLoad();
  if (runLighthouse) await lighthouseScores(['/', '/stats']);
} finally {
  await backend.stop();
}

async function firstLoad() {
  const browser = await launchBrowser();
  try {
    // Records, inside the page, when the first feed row is attached: no polling from outside skews the figure.
    await browser.context.addInitScript(() => {
      const seen = () => {
        if (window.__firstItemAt === undefined && document.querySelector('[data-key]')) window.__firstItemAt = performance.now();
      };
      new MutationObserver(seen).observe(document, { childList: true, subtree: true });
    });

    const page = await browser.newPage();
    const cdp = await browser.context.newCDPSession(page);
    await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
    const scripts = new Set();
    page.on('response', (response) => {
      if (response.request().resourceType() === 'script' && response.url().startsWith(backend.url)) scripts.add(new URL(response.url()).pathname);
    });

    const firstItem = async () => {
      await page.goto(`${backend.url}/`);
      await page.waitForFunction(() => window.__firstItemAt !== undefined, null, { timeout: 30_000 });
      return page.evaluate(() => window.__firstItemAt);
    };

    // Warm-up: the worker's first requests compile their code paths; a user's second visit would not pay that.
    await firstItem();
    const loadedOnFirstVisit = [...scripts];
    const times = [];
    for (let i = 0; i < loads; i++) times.push(await firstItem());
    times.sort((a, b) => a - b);

    let raw = 0;
    let gzipped = 0;
    console.log('JavaScript a first visit to / downloads (gzip -9, as a server would send it):');
    for (const file of loadedOnFirstVisit.sort()) {
      const bytes = readFileSync(path.join(dist, file));
      const size = gzipSync(bytes, { level: 9 }).length;
      raw += bytes.length;
      gzipped += size;
      console.log(`  ${file.padEnd(48)} ${kib(bytes.length).padStart(10)} ${kib(size).padStart(10)} gzipped`);
    }
    console.log(`  ${'total'.padEnd(48)} ${kib(raw).padStart(10)} ${kib(gzipped).padStart(10)} gzipped  (target <= ${targetKiB} KiB: ${gzipped <= targetKiB * 1024 ? 'met' : 'MISSED'})`);
    if (times.length > 0) {
      console.log();
      console.log(`Navigation to the first activity item, cache off, warm devhost, ${loads} loads at 1280x800:`);
      console.log(`  p50 ${ms(percentile(times, 0.5))}  p95 ${ms(percentile(times, 0.95))}  min ${ms(times[0])}  max ${ms(times[times.length - 1])}`);
    }
    if (browser.errors.length > 0) console.log(`Page errors: ${browser.errors.join('; ')}`);
  } finally {
    await browser.close();
  }
}

/**
 * Lighthouse in Debian's Chromium, one fresh profile per run (nothing cached from an earlier run), with Lighthouse's
 * own throttling: simulated slow 4G and a 4x slower CPU for mobile, a fast network for desktop. The society is paused
 * meanwhile: a live row arriving mid-run shifts the feed (a layout shift Lighthouse counts) and the worker's heartbeats
 * take the CPU Lighthouse multiplies by four, so a page's load is measured, not the society's activity. Scores still
 * move between runs on a busy machine (total blocking time most): the median of LH_RUNS runs is shown, with the range.
 */
async function lighthouseScores(paths) {
  const { default: lighthouse, desktopConfig } = await import('lighthouse');
  const categories = ['performance', 'accessibility', 'best-practices', 'seo'];
  const targets = { mobile: { performance: 95, accessibility: 100, 'best-practices': 100 }, desktop: { accessibility: 100, 'best-practices': 100 } };
  const pace = await (await fetch(`${backend.url}/api/pace`)).json();
  const setPace = (name) => fetch(`${backend.url}/api/pace`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ pace: name }) });
  await setPace('paused');
  try {
    console.log();
    console.log(`Lighthouse ${(await import('lighthouse/package.json', { with: { type: 'json' } })).default.version} in ${chromium}, the society paused, median of ${lighthouseRuns} run(s):`);
    console.log(`  ${'page'.padEnd(10)} ${'form'.padEnd(8)} ${['performance', 'accessibility', 'best practices', 'SEO'].map((c) => c.padStart(15)).join('')}   FCP / LCP / TBT / CLS`);
    for (const pathname of paths) {
      for (const form of ['mobile', 'desktop']) {
        const runs = [];
        for (let i = 0; i < lighthouseRuns; i++) {
          const lhr = await lighthouseRun(lighthouse, form === 'desktop' ? desktopConfig : undefined, `${backend.url}${pathname}`, categories);
          if (saveTo) {
            mkdirSync(saveTo, { recursive: true });
            writeFileSync(path.join(saveTo, `${pathname.replace(/\W/g, '') || 'root'}-${form}-${i + 1}.json`), JSON.stringify(lhr));
          }
          runs.push(lhr);
        }
        const performance = (lhr) => lhr.categories.performance.score;
        runs.sort((a, b) => performance(a) - performance(b));
        reportRun(runs[Math.floor(runs.length / 2)], runs.map((r) => Math.round(performance(r) * 100)), pathname, form, categories, targets[form]);
      }
    }
    console.log('  (! marks a score under its target: performance >= 95 on mobile, accessibility and best practices 100)');
  } finally {
    await setPace(pace.pace);
  }
}

/** One line of scores for a page and form, and under it what holds a category under 100. */
function reportRun(lhr, performances, pathname, form, categories, targets) {
  const score = (c) => Math.round((lhr.categories[c]?.score ?? 0) * 100);
  const cells = categories.map((c) => {
    const target = targets[c];
    const mark = target === undefined ? ' ' : score(c) >= target ? ' ' : '!';
    return `${score(c)}${mark}`.padStart(15);
  });
  const metric = (id) => lhr.audits[id]?.displayValue ?? '?';
  const range = performances.length > 1 ? `   (performance ${performances[0]}–${performances[performances.length - 1]})` : '';
  console.log(`  ${pathname.padEnd(10)} ${form.padEnd(8)} ${cells.join('')}   ${metric('first-contentful-paint')} / ${metric('largest-contentful-paint')} / ${metric('total-blocking-time')} / ${metric('cumulative-layout-shift')}${range}`);
  // What keeps a category under 100: failed audits with a weight, and the performance opportunities.
  const below = [];
  for (const c of categories) {
    if (score(c) >= 100) continue;
    for (const ref of lhr.categories[c].auditRefs) {
      const audit = lhr.audits[ref.id];
      if (audit.score === null || audit.score >= 0.9) continue;
      if (ref.weight > 0 || (c === 'performance' && audit.details?.type === 'opportunity')) below.push(`${c}: ${audit.title}${audit.displayValue ? ` (${audit.displayValue})` : ''}`);
    }
  }
  for (const line of [...new Set(below)]) console.log(`      ${line}`);
  // A Lighthouse older than the browser cannot read every part of its trace; those audits say so instead of scoring.
  const failed = Object.values(lhr.audits).filter((a) => a.scoreDisplayMode === 'error').map((a) => a.id);
  if (failed.length > 0) console.log(`      not measured (${failed.length} audits could not read this Chromium's trace): ${failed.join(', ')}`);
}

async function lighthouseRun(lighthouse, config, url, categories) {
  const chromeLauncher = await import('chrome-launcher');
  const profile = mkdtempSync(path.join(os.tmpdir(), 'botsociety-lighthouse-'));
  const chrome = await chromeLauncher.launch({
    chromePath: chromium,
    userDataDir: profile,
    chromeFlags: ['--headless=new', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    logLevel: 'silent',
  });
  try {
    const result = await lighthouse(url, { port: chrome.port, output: 'json', logLevel: 'error', onlyCategories: categories }, config);
    if (!result) throw new Error(`Lighthouse returned nothing for ${url}`);
    if (result.lhr.runtimeError) throw new Error(`Lighthouse could not load ${url}: ${result.lhr.runtimeError.message}`);
    return result.lhr;
  } finally {
    await chrome.kill();
    rmSync(profile, { recursive: true, force: true });
  }
}
