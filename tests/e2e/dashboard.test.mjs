// The dashboard as a person uses it, in Chromium, against devhost on a temporary fast-forwarded society.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { activitySince, api, badge, nextHeartbeat, rowKeys, shot, tick } from './support/driver.mjs';
import { useSociety } from './support/society.mjs';

let backend;
let browser;
useSociety('backend.log', { days: 1 }, (started) => ({ backend, browser } = started));

describe('activity', () => {
  it('shows a new heartbeat without a reload', async (t) => {
    const page = await browser.newPage();
    const opened = Date.now();
    await page.goto(`${backend.url}/activity`);
    await page.locator('[data-testid="activity-list"] [data-key]').first().waitFor();
    // A figure for the bench line: navigation to the first activity row on a warm devhost.
    t.diagnostic(`first activity item ${Date.now() - opened} ms after navigation`);
    if (backend.live) await page.waitForFunction(() => document.querySelector('header [data-status]')?.getAttribute('data-status') === 'live');
    const before = new Set(await rowKeys(page));

    const started = Date.now();
    await tick(1);
    await page.waitForFunction(
      (known) => [...document.querySelectorAll('[data-testid="activity-list"] [data-type="heartbeat_complete"]')].some((r) => !known.includes(r.getAttribute('data-key'))),
      [...before],
      // Live: within a second or two. Without the relay the 10-second poll brings it.
      { timeout: backend.live ? 5_000 : 15_000 },
    );
    const took = Date.now() - started;
    if (backend.live) assert.ok(took < 5_000, `the heartbeat took ${took} ms to appear`);
    assert.equal(new Set(await rowKeys(page)).size, (await rowKeys(page)).length, 'no row appears twice');
    await shot(page, '01-activity');
    await page.close();
  });

  it('falls back to polling /api/activity when negotiate fails', async () => {
    const page = await browser.newPage();
    await page.route('**/api/negotiate', (route) =>
      route.fulfill({ status: 503, contentType: 'application/problem+json', body: JSON.stringify({ title: 'No live stream is configured.', status: 503 }) }));
    await page.goto(`${backend.url}/activity`);
    await page.waitForFunction(() => document.querySelector('header [data-status]')?.getAttribute('data-status') === 'polling');
    assert.match(await badge(page).innerText(), /Polling/);
    await page.locator('[data-testid="activity-list"] [data-key]').first().waitFor();
    const before = new Set(await rowKeys(page));

    await tick(2);
    await page.waitForFunction(
      (known) => [...document.querySelectorAll('[data-testid="activity-list"] [data-key]')].some((r) => !known.includes(r.getAttribute('data-key'))),
      [...before],
      { timeout: 15_000 },
    );
    await shot(page, '02-activity-polling');
    await page.close();
  });

  it('shows reconnecting when the relay drops and every missed event exactly once after it is back', async (t) => {
    if (!backend.live) {
      t.skip('no live stream (the relay is not built, or E2E_NO_RELAY is set): nothing to drop');
      return;
    }
    const page = await browser.newPage();
    let down = false;
    const sockets = [];
    await page.routeWebSocket(/\/client\/hubs\//, (ws) => {
      // 1008 tells the client not to attempt recovery of the session: the stream owner sees the drop at once.
      if (down) return ws.close({ code: 1008, reason: 'relay down' });
      ws.connectToServer();
      sockets.push(ws);
    });
    const since = new Date().toISOString();
    await page.goto(`${backend.url}/activity`);
    await page.waitForFunction(() => document.querySelector('header [data-status]')?.getAttribute('data-status') === 'live');

    down = true;
    for (const ws of sockets.splice(0)) await ws.close({ code: 1008, reason: 'relay down' });
    await page.waitForFunction(() => document.querySelector('header [data-status]')?.getAttribute('data-status') === 'reconnecting', null, { timeout: 10_000 });
    await shot(page, '03-activity-reconnecting');

    // Missed by the stream: the poll shows these within 10 s …
    await tick(3);
    const polled = (await activitySince(since)).map((a) => a.event_id);
    await page.waitForFunction(
      (keys) => keys.every((k) => document.querySelector(`[data-key="${k}"]`)),
      polled,
      { timeout: 15_000 },
    );
    // … and this one happens just before the relay is back, so only the gap fill can bring it.
    await tick(4);
    down = false;
    await page.getByRole('button', { name: 'Retry now' }).click();
    await page.waitForFunction(() => document.querySelector('header [data-status]')?.getAttribute('data-status') === 'live', null, { timeout: 10_000 });

    const expected = (await activitySince(since)).map((a) => a.event_id);
    await page.waitForFunction((keys) => keys.every((k) => document.querySelector(`[data-key="${k}"]`)), expected, { timeout: 10_000 });
    for (const key of expected) assert.equal(await page.locator(`[data-key="${key}"]`).count(), 1, `event ${key} shows once`);
    const keys = await rowKeys(page);
    assert.equal(new Set(keys).size, keys.length, 'no row appears twice');
    await page.close();
  });
});

describe('config panel', () => {
  it('saves a moved slider, and the API returns it', async () => {
    const page = await browser.newPage();
    const before = await api('/api/bots/1/config');
    const target = (before.behavior.skepticism + 37) % 101;
    await page.goto(`${backend.url}/bots/1/config`);
    const slider = page.locator('#trait-skepticism');
    await slider.waitFor();
    await slider.fill(String(target));
    assert.equal(await page.locator('output[for="trait-skepticism"]').innerText(), String(target));
    await shot(page, '05-config-personality');

    await page.getByRole('button', { name: 'Save', exact: true }).click();
    const dialog = page.locator('dialog[open]');
    await dialog.waitFor();
    assert.match(await dialog.innerText(), /behavior\.skepticism/);
    await shot(page, '06-config-confirm');
    await dialog.getByTestId('confirm').click();
    await page.getByText('Saved.').waitFor();

    const after = await api('/api/bots/1/config');
    assert.equal(after.behavior.skepticism, target);
    assert.equal(after.version, before.version + 1);
    // The change is in the history, and the next heartbeat runs on the new version (its details name the version).
    const history = await api('/api/bots/1/config/history?limit=1');
    assert.deepEqual(history.items[0].fields, ['behavior.skepticism']);
    const next = await nextHeartbeat(1);
    assert.equal(next.details.config_version, after.version);
    await page.goto(`${backend.url}/activity?bot=1`);
    await page.locator(`#activity-${next.id} [data-testid="config-version"]`).waitFor();
    assert.equal(await page.locator(`#activity-${next.id} [data-testid="config-version"]`).innerText(), `config v${after.version}`);
    await page.goto(`${backend.url}/bots/1/config`);
    await slider.waitFor();

    // "Reset to YAML defaults" brings the persona file's value back.
    await page.getByRole('button', { name: 'Reset to YAML defaults' }).click();
    await page.locator('dialog[open]').getByTestId('confirm').click();
    await page.getByText('Reset to the defaults in').waitFor();
    assert.equal((await api('/api/bots/1/config')).behavior.skepticism, before.behavior.skepticism);
    assert.equal(await page.locator('output[for="trait-skepticism"]').innerText(), String(before.behavior.skepticism));
    await page.close();
  });

  it('edits a cost cap and resets it to the global default', async () => {
    const page = await browser.newPage();
    await page.goto(`${backend.url}/bots/1/config`);
    await page.getByRole('tab', { name: 'Costs' }).click();
    const input = page.locator('#cap-daily_token_cap');
    await input.fill('123456');
    assert.equal(await page.getByTestId('daily_token_cap-source').innerText(), 'Custom');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.locator('dialog[open]').getByTestId('confirm').click();
    await page.getByText('Saved.').waitFor();
    let bot = await api('/api/bots/1');
    assert.equal(bot.usage.daily_token_cap, 123456);
    assert.equal(bot.usage.daily_token_cap_source, 'custom');
    await shot(page, '07-config-costs');

    await page.getByRole('button', { name: 'Reset to default' }).first().click();
    assert.equal(await page.getByTestId('daily_token_cap-source').innerText(), 'Default (global)');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.locator('dialog[open]').getByTestId('confirm').click();
    await page.getByText('Saved.').waitFor();
    bot = await api('/api/bots/1');
    assert.equal(bot.usage.daily_token_cap_source, 'default');
    assert.equal(bot.usage.daily_token_cap, 10_000_000);

    // Both edits are in the bot's config history, the newest first: back from 123456 (custom) to the default.
    await page.goto(`${backend.url}/bots/1/history`);
    const newest = page.locator('li.card').first();
    await newest.waitFor();
    assert.match(await newest.innerText(), /cost_cap/);
    assert.match(await newest.locator('tr', { hasText: 'costs.daily_token_cap' }).innerText(), /123456 \(custom\)\s+10000000 \(default\)/);
    await page.close();
  });

  it("shows the server's error next to the field with a bad value", async () => {
    const page = await browser.newPage();
    const before = await api('/api/bots/3/config');
    await page.goto(`${backend.url}/bots/3/config`);
    await page.getByRole('tab', { name: 'Model' }).click();
    await page.locator('input[name="model.max_tokens"]').fill('5');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.locator('dialog[open]').getByTestId('confirm').click();
    const error = page.locator('[data-field="model.max_tokens"]');
    await error.waitFor();
    assert.match(await error.innerText(), /between 16 and/);
    // The message sits with its field, inside the field's label.
    assert.equal(await error.evaluate((e) => e.closest('label')?.querySelector('input')?.getAttribute('name')), 'model.max_tokens');
    assert.match(await page.locator('select[name="model.model"] option:checked').innerText(), /simulated/);
    await shot(page, '08-config-model-error');
    assert.equal((await api('/api/bots/3/config')).model.max_tokens, before.model.max_tokens);
    await page.close();
  });

  it('warns when someone else changed the config meanwhile (412)', async () => {
    const page = await browser.newPage();
    await page.goto(`${backend.url}/bots/4/config`);
    await page.locator('#trait-aggression').fill('77');
    const current = await fetch(`${backend.api}/api/bots/4/config`);
    const etag = current.headers.get('etag');
    await api('/api/bots/4/config', { method: 'PUT', headers: { 'content-type': 'application/json', 'if-match': etag }, body: JSON.stringify({ behavior: { shyness: 5 } }) });
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    const confirm = page.locator('dialog[open]').getByTestId('confirm');
    if (await confirm.isVisible()) await confirm.click();
    await page.getByTestId('config-conflict').waitFor();
    assert.notEqual((await api('/api/bots/4/config')).behavior.aggression, 77);
    await shot(page, '09-config-conflict');
    await page.close();
  });
});

describe('stats', () => {
  it('draws the charts with one series per bot the API reports', async () => {
    const page = await browser.newPage();
    await page.goto(`${backend.url}/stats`);
    const usageChart = page.getByTestId('usage-panel').getByTestId('chart');
    const reputationChart = page.getByTestId('reputation-panel').getByTestId('chart');
    await usageChart.locator('canvas').waitFor();
    // A chart below the fold is drawn when it comes near the screen, as a reader scrolls to it.
    await page.getByTestId('reputation-panel').scrollIntoViewIfNeeded();
    await reputationChart.locator('canvas').waitFor();

    const usage = await api('/api/stats/usage');
    const usageBots = new Set(usage.items.map((i) => i.bot_id)).size;
    assert.equal(Number(await usageChart.getAttribute('data-series')), usageBots + 1, 'a series per bot plus the cost overlay');
    assert.equal(await usageChart.locator('.u-legend .u-series').count(), usageBots + 2, 'the legend names x, every bot and the cost');

    const reputation = await api('/api/stats/reputation-history?limit=500');
    assert.equal(Number(await reputationChart.getAttribute('data-series')), reputation.length);

    const stats = await api('/api/stats');
    assert.equal(await page.getByTestId('action-bars').locator('li').count(), stats.actions_per_bot.length);

    // The canvas has something drawn on it.
    const painted = await usageChart.locator('canvas').evaluate((c) => {
      const { data } = c.getContext('2d').getImageData(0, 0, c.width, c.height);
      let n = 0;
      for (let i = 3; i < data.length; i += 4) if (data[i] > 0) n++;
      return n;
    });
    assert.ok(painted > 1000, `only ${painted} pixels drawn`);
    await page.getByTestId('usage-panel').scrollIntoViewIfNeeded();
    // Hover today's column so the tooltip lists every bot.
    const over = usageChart.locator('.u-over');
    const box = await over.boundingBox();
    await over.hover({ position: { x: box.width - 2, y: box.height / 3 } });
    await shot(page, '10-stats');
    await page.getByTestId('actions-panel').scrollIntoViewIfNeeded();
    await shot(page, '11-stats-lower');

    // The charts follow the society: a heartbeat of Ada's raises her action count without a reload.
    const adaTotal = page.getByTestId('action-bars').locator('li', { hasText: 'Ada' }).locator('span').last();
    const before = await adaTotal.innerText();
    await tick(1);
    await page.waitForFunction(
      ([was]) => {
        const row = [...document.querySelectorAll('[data-testid="action-bars"] li')].find((li) => li.textContent.includes('Ada'));
        return row && row.lastElementChild.textContent !== was;
      },
      [before],
      { timeout: backend.live ? 10_000 : 20_000 },
    );
    await page.close();
  });
});

describe('memory explorer', () => {
  it('pages with Load more and links each item to its activity', async () => {
    const page = await browser.newPage();
    const warm = await api('/api/bots/1/memory/warm?limit=20');
    const category = ['opinions', 'facts', 'relationships', 'interests'].find((c) => warm[c].total > 20);
    assert.ok(category, 'the fast-forwarded society has a memory category with more than one page');
    const total = warm[category].total;

    await page.goto(`${backend.url}/memory/1?tab=${category}`);
    const items = page.getByTestId('memory-items').locator(':scope > li');
    await items.first().waitFor();
    assert.equal(await items.count(), 20);
    await shot(page, '12-memory');
    await page.getByRole('button', { name: 'Load more' }).click();
    await page.waitForFunction((n) => document.querySelectorAll('[data-testid="memory-items"] > li').length === n, Math.min(total, 40));
    const texts = await items.allInnerTexts();
    assert.equal(new Set(texts).size, texts.length, 'no item is listed twice');

    // "from search #123 →" opens the activity that produced the memory, highlighted.
    const link = items.first().getByRole('link', { name: /#\d+/ });
    const id = (await link.innerText()).match(/#(\d+)/)[1];
    await link.click();
    await page.getByTestId('activity-detail').waitFor();
    assert.equal(await page.locator(`#activity-${id}`).count(), 1);
    // The row says which instance of the app wrote it (here the fast-forward's process).
    const produced = await api(`/api/activity/${id}`);
    assert.ok(produced.details.instance, 'every activity names its instance');
    assert.equal(await page.locator(`#activity-${id}`).getByTestId('instance').innerText(), `instance ${produced.details.instance}`);
    await shot(page, '13-activity-detail');

    // Which bots have summaries depends on where the day's budget ran out; take one that has.
    const bots = (await api('/api/bots?limit=200')).items;
    let summarised;
    for (const bot of bots) {
      if ((await api(`/api/bots/${bot.id}/memory/cold?limit=1`)).total > 0) { summarised = bot.id; break; }
    }
    assert.ok(summarised, 'the fast-forwarded society has a bot with memory summaries');
    await page.goto(`${backend.url}/memory/${summarised}?tab=summaries`);
    await page.getByTestId('memory-items').first().waitFor();
    await shot(page, '14-memory-summaries');
    await page.close();
  });
});

describe('navigation', () => {
  it('renders every view, keeps deep links across a reload, and reaches the views by keyboard', async () => {
    const page = await browser.newPage();
    // The busiest recent thread, so the screenshot shows a reply tree.
    const threads = await api('/api/threads?limit=100');
    const thread = threads.items.reduce((a, b) => (b.reply_count > a.reply_count ? b : a));
    const views = [
      ['/threads', 'Threads', '15-threads'],
      [`/threads/${thread.id}`, thread.title, '16-thread'],
      ['/bots', 'Bots', '17-bots'],
      ['/bots/2', 'Bram', '18-bot-profile'],
      ['/bots/4/history', 'Dex', '19-bot-history'],
      ['/activity?bot=2&action=reply', 'Activity', '20-activity-filtered'],
    ];
    for (const [url, heading, name] of views) {
      await page.goto(backend.url + url);
      await page.getByRole('heading', { level: 1, name: heading }).waitFor();
      await page.reload();
      await page.getByRole('heading', { level: 1, name: heading }).waitFor();
      assert.equal(new URL(page.url()).pathname + new URL(page.url()).search, url);
      await page.waitForLoadState('networkidle').catch(() => {});
      if (name === '16-thread') {
        // Every reply of the thread is in the tree, nested ones included.
        assert.ok(thread.reply_count > 0);
        assert.ok((await page.getByTestId('reply-tree').locator('li').count()) >= thread.reply_count);
      }
      await shot(page, name);
    }
    // The filtered activity (the last view) shows only Bram's replies.
    const actions = await page.locator('[data-testid="activity-list"] [data-key]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-action')));
    assert.ok(actions.length > 0 && actions.every((a) => a === 'reply'), `filtered rows: ${actions}`);

    // Keyboard: the skip link first, then the sidebar; Enter on "Bots" opens it.
    await page.goto(`${backend.url}/activity`);
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement?.textContent?.trim()), 'Skip to content');
    for (let i = 0; i < 8 && (await page.evaluate(() => document.activeElement?.textContent?.trim())) !== 'Bots'; i++) await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { level: 1, name: 'Bots' }).waitFor();

    // The header's pace control changes the society's pace.
    await page.getByRole('radio', { name: 'Fast' }).click();
    await page.waitForFunction(() => document.querySelector('[role="radio"][aria-checked="true"]')?.textContent === 'Fast');
    assert.equal((await api('/api/pace')).pace, 'fast');
    await page.getByRole('radio', { name: 'Normal' }).click();
    await page.waitForFunction(() => document.querySelector('[role="radio"][aria-checked="true"]')?.textContent === 'Normal');
    assert.equal((await api('/api/pace')).pace, 'normal');

    assert.deepEqual(browser.errors, [], 'no script errors on any page');
    await page.close();
  });

  it("sends the operator's function key with changes and never with reads", async () => {
    const page = await browser.newPage();
    await page.goto(`${backend.url}/activity`);
    await page.getByTestId('function-key').click();
    await page.locator('dialog[open] input[type="password"]').fill('operator-key-123');
    await shot(page, '21-function-key');
    await page.getByRole('button', { name: 'Use this key' }).click();
    assert.match(await page.getByTestId('function-key').innerText(), /✓/);

    const write = page.waitForRequest((r) => r.url().endsWith('/api/pace') && r.method() === 'PUT');
    await page.getByRole('radio', { name: 'Slow' }).click();
    assert.equal((await write).headers()['x-functions-key'], 'operator-key-123');
    const read = page.waitForRequest((r) => r.url().includes('/api/bots') && r.method() === 'GET');
    await page.goto(`${backend.url}/bots`);
    assert.equal((await read).headers()['x-functions-key'], undefined);
    await api('/api/pace', { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ pace: 'normal' }) });
    await page.close();
  });
});
