// The operator's view (issue 17) in Chromium, against devhost on a temporary fast-forwarded society: bot health,
// the alert banner and its one-click pause, the alert rules page, provider reachability, traces and the audit marks.
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { api, nextHeartbeat, shot, tick } from './support/driver.mjs';
import { startBrokenProvider } from './support/provider.mjs';
import { useSociety } from './support/society.mjs';

let backend;
let browser;
let provider;

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

useSociety(
  'backend-operator.log',
  async () => {
    provider = await startBrokenProvider();
    return {
      days: 1,
      env: {
        // Ollama answers, but with a 500 to every call: a bot moved there fails its heartbeats (server_error).
        Models__Ollama__Endpoint: provider.url,
        // Nothing listens on port 9: the OpenAI-compatible provider (a local one, no key) cannot be reached.
        Models__OpenAI__Endpoint: 'http://127.0.0.1:9/v1',
        Models__OpenAI__Local: 'true',
        Models__MaxRetries: '1',
        Models__RetryDelayMilliseconds: '50',
      },
    };
  },
  (started) => ({ backend, browser } = started),
);
// After the society's own after(): the provider outlives the devhost that calls it.
after(() => provider?.stop());

/** Moves a bot to another provider (its first model) through the API, as the config panel would. */
async function moveTo(botId, providerId) {
  const models = await api('/api/models');
  const target = models.providers.find((p) => p.id === providerId);
  assert.ok(target, `the catalog offers ${providerId}`);
  const current = await fetch(`${backend.api}/api/bots/${botId}/config`);
  await api(`/api/bots/${botId}/config`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json', 'if-match': current.headers.get('etag') },
    body: JSON.stringify({ model: { provider: providerId, model: target.models[0].id } }),
  });
}

/** Runs a tick for the bot and waits for the heartbeat_failed row it writes. */
async function failedHeartbeat(botId) {
  const newest = async () => (await api(`/api/activity?bot=${botId}&action=heartbeat_failed&limit=1`)).items[0];
  const previous = await newest();
  await tick(botId);
  for (let i = 0; i < 150; i++) {
    const row = await newest();
    if (row && row.id !== previous?.id) return row;
    await sleep(100);
  }
  assert.fail(`bot ${botId} wrote no heartbeat_failed within 15 s of a tick`);
}

async function botNamed(id) {
  return (await api(`/api/bots/${id}`)).name;
}

describe('bot health', () => {
  it('shows a bot whose heartbeats keep failing as failing, in red, on its card, its profile and the feed', async () => {
    const id = 5;
    const name = await botNamed(id);
    await moveTo(id, 'ollama');
    for (let i = 0; i < 3; i++) await failedHeartbeat(id);
    const bot = await api(`/api/bots/${id}`);
    assert.equal(bot.health, 'failing', `after 3 failed heartbeats the API says ${bot.health} (${bot.failure_kind})`);
    assert.equal(bot.status, 'active', 'the bot is not paused or capped: only its health tells');
    assert.ok(bot.failed_heartbeats >= 3 && bot.failing_since, 'the API names the run of failures');

    const page = await browser.newPage();
    await page.goto(`${backend.url}/bots`);
    const card = page.getByTestId('bot-card').filter({ hasText: name });
    const badge = card.getByTestId('health');
    await badge.waitFor();
    const text = await badge.innerText();
    assert.match(text, /^failing since \d{2}:\d{2}/);
    if (bot.failure_kind) assert.ok(text.endsWith(`· ${bot.failure_kind}`), `the badge names the failure kind: ${text}`);
    assert.match(await badge.getAttribute('class'), /\bbad\b/, 'the badge is red');
    assert.doesNotMatch(text, /active/);
    assert.match(await card.getAttribute('aria-label'), /failing/);
    await card.scrollIntoViewIfNeeded();
    await shot(page, '30-bots-failing');

    await page.goto(`${backend.url}/bots/${id}`);
    const profileBadge = page.locator('h1 + [data-testid="health"]');
    await profileBadge.waitFor();
    assert.match(await profileBadge.innerText(), /^failing since/);
    assert.match(await page.getByTestId('health-detail').innerText(), /3 heartbeats in a row failed/);
    await shot(page, '31-profile-failing');

    // The feed marks the bot's rows with its health.
    await page.goto(`${backend.url}/activity?bot=${id}`);
    await page.locator('[data-testid="activity-list"] [data-testid="feed-health"]').first().waitFor();
    assert.match(await page.locator('[data-testid="feed-health"]').first().innerText(), /^failing/);
    await shot(page, '32-activity-failing');
    await page.close();
  });

  it('warns before a bot is moved to a provider nobody answers at, and shows it unreachable after', async () => {
    const id = 7;
    const name = await botNamed(id);
    const page = await browser.newPage();
    await page.goto(`${backend.url}/bots/${id}/config`);
    await page.getByRole('tab', { name: 'Model' }).click();
    const select = page.locator('select[name="model.provider"]');
    await select.waitFor();
    await page.waitForFunction(() => !document.querySelector('select[name="model.provider"]')?.disabled);
    await select.selectOption('openai');
    const warning = page.getByTestId('provider-unreachable');
    await warning.waitFor();
    assert.match(await warning.innerText(), /is not reachable/);
    assert.equal(await warning.getAttribute('role'), 'alert');
    assert.equal(await select.getAttribute('aria-describedby'), 'provider-unreachable');
    await shot(page, '33-config-unreachable');

    await page.getByRole('button', { name: 'Save', exact: true }).click();
    const dialog = page.locator('dialog[open]');
    await dialog.getByTestId('confirm-unreachable').waitFor();
    assert.equal(await dialog.getByTestId('confirm').innerText(), 'Save anyway');
    await shot(page, '34-config-unreachable-confirm');
    await dialog.getByTestId('confirm').click();
    await page.getByText('Saved.').waitFor();
    assert.equal((await api(`/api/bots/${id}/config`)).model.provider, 'openai');

    // Its provider did not answer the probe: the bot is unreachable, never a green "active".
    let bot;
    for (let i = 0; i < 50 && (bot = await api(`/api/bots/${id}`)).health !== 'unreachable'; i++) await sleep(200);
    assert.equal(bot.health, 'unreachable');
    await page.goto(`${backend.url}/bots`);
    const badge = page.getByTestId('bot-card').filter({ hasText: name }).getByTestId('health');
    await badge.waitFor();
    assert.equal(await badge.innerText(), 'unreachable');
    assert.match(await badge.getAttribute('class'), /\bbad\b/);
    await page.close();
  });
});

describe('alert banner', () => {
  it("pauses the bot from the banner's button when a rule fires for it", async () => {
    const id = 6;
    const name = await botNamed(id);
    await moveTo(id, 'ollama');
    const page = await browser.newPage();
    await page.goto(`${backend.url}/activity`);
    await page.locator('[data-testid="activity-list"] [data-key]').first().waitFor();
    if (backend.live) await page.waitForFunction(() => document.querySelector('header [data-status]')?.getAttribute('data-status') === 'live');

    const rule = await api('/api/alerts', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ kind: 'heartbeat_failed', bot_id: id, count: 1, window_minutes: 60 }),
    });
    await failedHeartbeat(id);

    // The banner appears without a reload (the live event, or the poll's catch-up without the relay).
    const banner = page.locator(`[data-testid="alert-banner"][data-alert-id="${rule.alert_id}"]`);
    await banner.waitFor({ timeout: backend.live ? 15_000 : 30_000 });
    assert.equal(await banner.getAttribute('role'), 'alert');
    const pause = banner.getByRole('button', { name: `Pause ${name}` });
    // Reachable by keyboard: a focusable button in the page's tab order.
    await pause.focus();
    assert.equal(await page.evaluate(() => document.activeElement?.textContent?.trim()), `Pause ${name}`);
    await shot(page, '35-alert-banner');

    await page.keyboard.press('Enter');
    let bot;
    for (let i = 0; i < 50 && (bot = await api(`/api/bots/${id}`)).status !== 'paused'; i++) await sleep(100);
    assert.equal(bot.status, 'paused', 'the bot is paused');
    await banner.getByText(`${name} is paused.`).waitFor();

    // After a reload the rule is still firing (from GET /api/alerts), and the pause is a row of the feed.
    await page.reload();
    await banner.waitFor();
    assert.equal(await banner.getByTestId('alert-pause-bot').isDisabled(), true);
    const row = page.locator('[data-testid="activity-list"] [data-action="pause"]').filter({ hasText: `operator paused ${name}` });
    await row.first().waitFor();
    assert.match(await page.locator('[data-testid="activity-list"] [data-action="alert_fired"]').first().innerText(), /society\s+fired an alert/);
    await shot(page, '36-alert-banner-paused');

    // Dismissed, it stays away for the tab.
    await banner.getByTestId('alert-dismiss').click();
    await banner.waitFor({ state: 'detached' });
    await page.reload();
    await page.locator('[data-testid="activity-list"] [data-key]').first().waitFor();
    await page.waitForTimeout(1500);
    assert.equal(await banner.count(), 0, 'a dismissed alert does not come back after a reload');
    await api(`/api/alerts/${rule.alert_id}`, { method: 'DELETE' });
    await page.close();
  });
});

describe('alerts page', () => {
  it('creates a rule with field errors beside their fields, edits it, lists its deliveries and deletes it', async () => {
    const page = await browser.newPage();
    await page.goto(`${backend.url}/alerts`);
    await page.getByRole('heading', { level: 1, name: 'Alerts' }).waitFor();
    await page.getByTestId('new-rule').click();
    const form = page.getByTestId('alert-form');
    await form.locator('select[name="kind"]').selectOption('heartbeat_failed');
    await form.locator('select[name="bot_id"]').selectOption({ label: 'Ada' });
    await form.locator('input[name="count"]').fill('0');
    await form.locator('input[name="window_minutes"]').fill('30');
    await form.locator('input[name="webhook_url"]').fill('https://hooks.example.invalid/botsociety');
    await form.getByRole('button', { name: 'Create rule' }).click();

    // The server's 400: count is out of range, and a webhook needs a secret; each message sits with its field.
    const countError = form.locator('[data-field="count"]');
    await countError.waitFor();
    assert.equal(await countError.evaluate((e) => e.closest('label')?.querySelector('input')?.getAttribute('name')), 'count');
    assert.equal(await form.locator('input[name="count"]').getAttribute('aria-invalid'), 'true');
    await shot(page, '37-alerts-field-errors');

    await form.locator('input[name="count"]').fill('2');
    await form.locator('input[name="secret"]').fill('e2e-secret-123');
    await form.getByRole('button', { name: 'Create rule' }).click();
    const card = page.getByTestId('alert-rule').filter({ hasText: 'Ada fails 2 heartbeats within 30 min' });
    await card.waitFor();
    const rules = await api('/api/alerts');
    const created = rules.find((r) => r.kind === 'heartbeat_failed' && r.bot_id === 1 && r.count === 2);
    assert.ok(created, 'the API has the rule');
    assert.equal(created.has_secret, true);
    assert.equal(created.webhook_url, 'https://hooks.example.invalid/botsociety');

    // Edit: another kind asks for other numbers; the secret left empty is kept.
    await card.getByRole('button', { name: /^Edit the rule/ }).click();
    const edit = card.getByTestId('alert-form');
    await edit.locator('select[name="kind"]').selectOption('spend');
    assert.equal(await edit.locator('input[name="count"]').count(), 0, 'spend asks for no count');
    await edit.locator('input[name="percent"]').fill('50');
    await edit.getByRole('button', { name: 'Save rule' }).click();
    const edited = page.getByTestId('alert-rule').filter({ hasText: 'Ada spends 50% of its daily cap' });
    await edited.waitFor();
    const after = (await api('/api/alerts')).find((r) => r.alert_id === created.alert_id);
    assert.equal(after.kind, 'spend');
    assert.equal(after.percent, 50);
    assert.equal(after.count, null);
    assert.equal(after.has_secret, true, 'the secret left out was kept');

    await edited.getByTestId('deliveries').locator('summary').click();
    await edited.getByText(/No deliveries yet|of \d+/).first().waitFor();
    await shot(page, '38-alerts-page');

    await edited.getByRole('button', { name: /^Delete the rule/ }).click();
    await edited.getByTestId('confirm-delete').click();
    await edited.waitFor({ state: 'detached' });
    assert.equal((await api('/api/alerts')).some((r) => r.alert_id === created.alert_id), false);

    // Each write is a row of the audit trail, in words, after a reload.
    await page.goto(`${backend.url}/activity?action=alert_rule_created`);
    await page.locator('[data-testid="activity-list"] [data-action="alert_rule_created"]').filter({ hasText: 'operator created an alert: Ada fails 2 heartbeats within 30 min' }).waitFor();
    await page.goto(`${backend.url}/activity?action=alert_rule_deleted`);
    await page.locator('[data-testid="activity-list"] [data-action="alert_rule_deleted"]').filter({ hasText: 'operator deleted the alert “Ada spends 50% of its daily cap”' }).waitFor();
    await page.close();
  });
});

describe('traces and stats', () => {
  it("shows a heartbeat's model call, and a failed one's failure", async () => {
    const page = await browser.newPage();
    const row = await nextHeartbeat(1);
    await page.goto(`${backend.url}/activity/${row.id}`);
    const summary = page.getByTestId('trace-summary');
    await summary.waitFor();
    assert.match(await summary.innerText(), /offline-simulator \(simulated\)/);
    assert.ok((await page.getByTestId('trace-message').count()) > 0, 'the messages sent are listed');
    await page.getByTestId('trace-message').first().locator('summary').click();
    await shot(page, '39-activity-trace');

    const failed = await failedHeartbeat(5);
    await page.goto(`${backend.url}/activity/${failed.id}`);
    await page.getByTestId('trace').waitFor();
    await page.locator('[data-testid="trace-failure"], [data-testid="no-trace"]').first().waitFor();
    if (await page.getByTestId('trace-failure').count()) assert.match(await page.getByTestId('trace-summary').innerText(), /failed/);
    await shot(page, '40-activity-trace-failed');

    // A society-wide row has no trace to look for.
    const paceRow = (await api('/api/activity?action=pace_changed&limit=1')).items[0];
    if (paceRow) {
      await page.goto(`${backend.url}/activity/${paceRow.id}`);
      await page.getByTestId('activity-detail').waitFor();
      assert.equal(await page.getByTestId('trace').count(), 0);
    }
    await page.close();
  });

  it("draws cost by model with a provider table, and marks the operator's actions on the charts", async () => {
    const page = await browser.newPage();
    // A pace change today, so there is a society-wide mark too.
    await api('/api/pace', { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ pace: 'fast' }) });
    await api('/api/pace', { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ pace: 'normal' }) });
    await page.goto(`${backend.url}/stats`);
    const models = page.getByTestId('models-panel');
    // Charts below the fold are drawn when they come near the screen.
    await models.scrollIntoViewIfNeeded();
    await models.getByTestId('chart').locator('canvas').waitFor();
    const usage = await api(`/api/stats/usage`);
    const keys = new Set(usage.by_model.map((r) => `${r.provider}/${r.model}`));
    assert.equal(Number(await models.getByTestId('chart').getAttribute('data-series')), keys.size, 'a series per provider and model');
    const table = models.getByTestId('provider-table');
    assert.equal(await table.locator('tbody tr').count(), usage.providers.length);
    const ollama = usage.providers.find((p) => p.provider === 'ollama');
    if (ollama) assert.match(await table.locator('tbody tr', { hasText: 'ollama' }).innerText(), /\d+%/);
    assert.match(await table.locator('tbody tr', { hasText: 'offline' }).first().innerText(), /simulated/);

    // The operator's actions today are marked on the usage chart; a mark's title says what was done.
    const usageChart = page.getByTestId('usage-panel').getByTestId('chart');
    await usageChart.locator('canvas').waitFor();
    await page.waitForFunction(() => Number(document.querySelector('[data-testid="usage-panel"] [data-testid="chart"]')?.getAttribute('data-marks')) > 0);
    const mark = usageChart.getByTestId('chart-mark').last();
    assert.match(await mark.getAttribute('title'), /operator changed the society's pace from fast to normal/);
    await page.getByTestId('reputation-panel').scrollIntoViewIfNeeded();
    await page.getByTestId('reputation-panel').getByTestId('chart').locator('canvas').waitFor();
    assert.ok((await page.getByTestId('reputation-panel').getByTestId('chart-mark').count()) > 0, 'the reputation chart is marked too');
    await page.getByTestId('usage-panel').scrollIntoViewIfNeeded();
    await mark.hover();
    await shot(page, '41-stats-marks');
    await models.scrollIntoViewIfNeeded();
    await shot(page, '42-stats-cost-by-model');

    assert.deepEqual(browser.errors, [], 'no script errors on any page');
    await page.close();
  });
});
