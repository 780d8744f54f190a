// The dashboard's first load, measured in Debian's Chromium against devhost on a fast-forwarded society:
//   - the JavaScript a first visit to / downloads, gzipped as a server would send it (target: 150 KiB or less);
//   - the time from navigation to the first activity item on screen, with the browser cache off, on a warm devhost.
// Run by bench/dashboard.sh, which builds what it needs; it uses the browser suite's start-up code and packages.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { startBackend, repo } from '../tests/e2e/support/backend.mjs';
import { launchBrowser } from '../tests/e2e/support/browser.mjs';

const loads = Number(process.env.LOADS ?? 20);
const targetKiB = 150;
const dist = path.join(repo, 'static-web/dist');

const kib = (bytes) => `${(bytes / 1024).toFixed(1)} KiB`;
const ms = (t) => `${t.toFixed(0)} ms`;
const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)];

const backend = await startBackend({ days: 1 });
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
  console.log();
  console.log(`Navigation to the first activity item, cache off, warm devhost, ${loads} loads at 1280x800:`);
  console.log(`  p50 ${ms(percentile(times, 0.5))}  p95 ${ms(percentile(times, 0.95))}  min ${ms(times[0])}  max ${ms(times[times.length - 1])}`);
  if (browser.errors.length > 0) console.log(`Page errors: ${browser.errors.join('; ')}`);
} finally {
  await browser.close();
  await backend.stop();
}
