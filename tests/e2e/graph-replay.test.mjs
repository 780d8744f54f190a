// The social graph, the replay and the interview (issue 20), in Chromium against devhost on a temporary society
// fast-forwarded by a day: the graph draws a node per bot and a node opens its bot, by mouse and by keyboard; the
// replay's scrubber moved back shows the feed as it was then, older rows than now, the ones the API has before that
// moment; a bot's profile asks it a question and shows its answer, labelled simulated, counted in the usage report.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { api, shot } from './support/driver.mjs';
import { useSociety } from './support/society.mjs';

let backend;
let browser;
useSociety('backend-graph-replay.log', { days: 1 }, (started) => ({ backend, browser } = started));

const nodes = (page) => page.locator('[data-testid="social-graph"] [data-bot-id]');
const feedKeys = (page) => page.locator('[data-testid="replay-feed"] [data-key]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-key')));

describe('graph', () => {
  it('draws every bot, lists the strongest ties, and opens a bot on click', async () => {
    const graph = await api('/api/graph');
    assert.ok(graph.edges.some((e) => e.kind === 'follow'), 'a day of the society has follows');
    const page = await browser.newPage();
    await page.setViewportSize({ width: 1440, height: 900 });
    await page.goto(`${backend.url}/graph`);
    await nodes(page).first().waitFor();

    assert.equal(await page.title(), 'Graph · BotSociety');
    assert.equal(await nodes(page).count(), graph.nodes.length);
    assert.ok((await page.locator('[data-testid="ties"] tbody tr').count()) > 0, 'the text alternative lists ties');
    await shot(page, '60-graph');

    const first = graph.nodes[0];
    await nodes(page).and(page.locator(`[data-bot-id="${first.bot_id}"]`)).click();
    await page.waitForURL(`${backend.url}/bots/${first.bot_id}`);
    await page.close();
  });

  it('opens a bot from the keyboard', async () => {
    const graph = await api('/api/graph');
    const page = await browser.newPage();
    await page.goto(`${backend.url}/graph`);
    await nodes(page).first().waitFor();
    const second = graph.nodes[1];
    const node = page.locator(`[data-testid="social-graph"] [data-bot-id="${second.bot_id}"]`);
    await node.focus();
    assert.match(await node.getAttribute('aria-label'), new RegExp(`^${second.name}: reputation`));
    await page.keyboard.press('Enter');
    await page.waitForURL(`${backend.url}/bots/${second.bot_id}`);
    await page.close();
  });
});

describe('replay', () => {
  it('shows the feed as it was when the scrubber is moved back', async () => {
    const newest = (await api('/api/activity?limit=1')).items[0];
    const page = await browser.newPage();
    await page.setViewportSize({ width: 1440, height: 900 });
    await page.goto(`${backend.url}/replay`);
    assert.equal(await page.title(), 'Replay · BotSociety');
    // The window opens on the fast-forwarded day before today and ends now.
    const yesterday = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
    await page.getByTestId('replay-from').fill(yesterday);
    await page.locator('[data-testid="replay-feed"] [data-key]').first().waitFor();
    // The society goes on meanwhile, so the end of the window holds the newest row read before or a later one.
    const atEnd = await page.locator('[data-testid="replay-feed"] time').first().getAttribute('datetime');
    assert.ok(Date.parse(atEnd) >= Date.parse(newest.timestamp), `at the end of the window the feed starts at ${atEnd}, not before ${newest.timestamp}`);

    // Back to a moment in the middle of the day: the feed is what the API had before it.
    const scrubber = page.getByTestId('replay-scrubber');
    const { min, max } = await scrubber.evaluate((el) => ({ min: Number(el.min), max: Number(el.max) }));
    const moment = Math.round(min + (max - min) / 2);
    await scrubber.evaluate((el, value) => {
      el.value = String(value);
      el.dispatchEvent(new Event('input', { bubbles: true }));
    }, moment);
    const at = Number(await scrubber.inputValue());
    const then = await api(`/api/activity?since=${encodeURIComponent(new Date(min).toISOString())}&until=${encodeURIComponent(new Date(at + 1).toISOString())}&limit=50`);
    assert.ok(then.items.length > 0, 'the society did something in the first half of the day');
    await page.waitForFunction((key) => document.querySelector('[data-testid="replay-feed"] [data-key]')?.getAttribute('data-key') === key, then.items[0].event_id);

    assert.deepEqual(await feedKeys(page), then.items.map((i) => i.event_id));
    assert.ok(Date.parse(then.items[0].timestamp) < Date.parse(atEnd), 'the rows shown are older than the newest');
    // The graph followed the clock: it is read as of the moment.
    await nodes(page).first().waitFor();
    await shot(page, '61-replay');

    // Playing moves the clock forward.
    await page.getByTestId('replay-speed').selectOption('3600');
    await page.getByTestId('replay-play').click();
    await page.waitForFunction((start) => Date.parse(document.querySelector('[data-testid="replay-at"]').getAttribute('datetime')) > start + 600_000, at);
    await page.getByTestId('replay-play').click();
    await page.close();
  });
});

describe('interview', () => {
  /** The tokens the society has spent on interviews, all models together, from the usage report. */
  async function interviewTokens() {
    const usage = await api('/api/stats/usage');
    return usage.by_model.filter((m) => m.kind === 'interview').reduce((sum, m) => sum + m.input_tokens + m.output_tokens, 0);
  }

  it('asks a bot from its profile, by keyboard, and shows its simulated answer with its tokens', async () => {
    const [bot] = (await api('/api/bots?limit=1')).items;
    const before = await interviewTokens();
    const page = await browser.newPage();
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(`${backend.url}/bots/${bot.id}`);
    const box = page.getByTestId('interview');
    const question = box.getByLabel(`Ask ${bot.name} a question`);
    const ask = box.getByRole('button', { name: 'Ask' });
    await question.waitFor();
    assert.ok(await ask.isDisabled(), 'a blank question cannot be asked');
    assert.equal(await question.getAttribute('maxlength'), '2000');

    await question.fill('Whom do you trust here, and why?');
    assert.ok(await ask.isEnabled());
    // Ctrl+Enter asks from inside the textarea, where Enter alone makes a new line.
    await question.press('Control+Enter');
    const answer = box.locator('blockquote');
    await answer.waitFor({ timeout: 20_000 });
    assert.ok((await answer.innerText()).trim().length > 20, 'the bot answers in a sentence or more');
    const caption = await box.locator('figcaption').innerText();
    // The offline model is labelled simulated wherever its name is shown.
    assert.match(caption, /\(simulated\) · [\d,]+ tokens · \$/);
    const shown = Number(caption.match(/· ([\d,]+) tokens/)[1].replaceAll(',', ''));
    assert.ok(shown > 0);
    assert.ok((await interviewTokens()) >= before + shown, 'the interview counts in the usage report as kind interview');
    await shot(page, '62-interview-390');
    await page.close();
  });
});
