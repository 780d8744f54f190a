// The life of a test file's society: devhost on a temporary fast-forwarded society and a browser, started before the
// file's tests and stopped after them, with devhost's, the worker's and the relay's output written beside the
// screenshots for reading when a test failed.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before } from 'node:test';
import { startBackend } from './backend.mjs';
import { launchBrowser } from './browser.mjs';
import { screenshots, society } from './driver.mjs';

/**
 * Registers the file's before and after hooks. `options` are startBackend's (or a function giving them, for a file that
 * starts something the backend needs first); `ready` receives { backend, browser } once both are up.
 */
export function useSociety(logName, options, ready) {
  let started = { backend: null, browser: null };
  before(async () => {
    const backend = await startBackend(typeof options === 'function' ? await options() : options);
    society.backend = backend;
    started = { backend, browser: await launchBrowser() };
    ready(started);
  }, { timeout: 240_000 });

  after(async () => {
    await started.browser?.close();
    if (started.backend) writeFileSync(path.join(screenshots, logName), started.backend.output());
    await started.backend?.stop();
  });
}
