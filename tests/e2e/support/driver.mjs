// What the browser suite does besides clicking: the API it checks the page against, ticks of the society, and
// screenshots. The suite sets `society.backend` once its backend is up.
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import path from 'node:path';

export const society = { backend: null };
export const screenshots = path.join(import.meta.dirname, '..', 'screenshots');
mkdirSync(screenshots, { recursive: true });

export async function api(pathname, init) {
  const response = await fetch(society.backend.api + pathname, init);
  const text = await response.text();
  assert.ok(response.ok, `${init?.method ?? 'GET'} ${pathname} answered ${response.status}: ${text}`);
  return text ? JSON.parse(text) : null;
}

/** Makes a bot due (a resumed bot acts on the next tick) and runs one Heartbeat tick through devhost's admin API. */
export async function tick(botId = 1) {
  await api(`/api/bots/${botId}/pause`, { method: 'POST' });
  await api(`/api/bots/${botId}/resume`, { method: 'POST' });
  const run = await fetch(`${society.backend.api}/admin/functions/Heartbeat`, { method: 'POST' });
  assert.equal(run.status, 202, `Heartbeat answered ${run.status}: ${await run.text()}`);
}

/** Runs a tick for the bot and waits for the activity row it writes. */
export async function nextHeartbeat(botId) {
  const newest = async () => (await api(`/api/activity?bot=${botId}&limit=1`)).items[0];
  const before = await newest();
  await tick(botId);
  for (let i = 0; i < 100; i++) {
    const row = await newest();
    if (row && row.id !== before?.id) return row;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  assert.fail(`bot ${botId} wrote no activity within 10 s of a tick`);
}

export async function shot(page, name) {
  await page.waitForTimeout(400);
  await page.screenshot({ path: path.join(screenshots, `${name}.png`) });
}

export const badge = (page) => page.locator('header [data-status]');
export const rowKeys = (page) => page.locator('[data-testid="activity-list"] [data-key]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-key')));

/** Rows of the API's activity feed since a moment: what the page must show, each once. */
export async function activitySince(since) {
  const page = await api(`/api/activity?since=${encodeURIComponent(since)}&limit=200`);
  return page.items;
}
