// Debian's Chromium through playwright-core: no browser download, a fresh profile per run.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';

/** `bypassCSP`: the page's Content-Security-Policy lets scripts the suite injects (axe-core) run. */
export async function launchBrowser({ bypassCSP = false } = {}) {
  const profile = mkdtempSync(path.join(os.tmpdir(), 'botsociety-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
    viewport: { width: 1280, height: 800 },
    bypassCSP,
  });
  const errors = [];
  context.on('weberror', (e) => errors.push(e.error().message));
  return {
    context,
    errors,
    async newPage() {
      const page = await context.newPage();
      page.on('pageerror', (e) => errors.push(e.message));
      return page;
    },
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
