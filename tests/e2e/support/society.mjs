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
  const started = { backend: null, browser: null };
  let starting = null;
  before(async () => {
    starting = (async () => startBackend(typeof options === 'function' ? await options() : options))();
    started.backend = await starting;
    society.backend = started.backend;
    started.browser = await launchBrowser();
    ready(started);
  }, { timeout: 240_000 });

  after(async () => {
    // A before() that timed out leaves its start running: the backend it still makes is stopped here, or its devhost
    // would keep the test process alive (a run that never ends says nothing about why).
    started.backend ??= await starting?.catch(() => null);
    await started.browser?.close();
    if (started.backend) writeFileSync(path.join(screenshots, logName), started.backend.output());
    await started.backend?.stop();
  });
}
