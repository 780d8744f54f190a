// Every view on a phone (390x844), a tablet and a laptop (1440x900), with the keyboard only, and through axe-core:
// nothing scrolls sideways, the menu opens and closes by keyboard, no serious or critical accessibility violation,
// each view has its own title. Against devhost on a temporary fast-forwarded society.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { axeViolations } from './support/axe.mjs';
import { launchBrowser } from './support/browser.mjs';
import { startBackend } from './support/backend.mjs';
import { api, screenshots, shot, society, tick } from './support/driver.mjs';

const PHONE = { width: 390, height: 844 };
const TABLET = { width: 768, height: 1024 };
const LAPTOP = { width: 1440, height: 900 };

let backend;
let browser;
let views;

before(async () => {
  backend = await startBackend({ days: 1 });
  society.backend = backend;
  browser = await launchBrowser({ bypassCSP: true });

  // A firing alert, so its banner is on every page and is checked with the rest.
  await api('/api/alerts', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ kind: 'spend', bot_id: 2, percent: 1 }) });
  await tick(2);
  for (let i = 0; i < 100 && !(await api('/api/alerts')).some((r) => r.firing.length > 0); i++) await new Promise((r) => setTimeout(r, 100));

  const activity = (await api('/api/activity?bot=1&limit=1')).items[0];
  const thread = (await api('/api/threads?limit=1')).items[0];
  const ada = await api('/api/bots/1');
  views = [
    ['activity', '/activity', 'Activity · BotSociety'],
    ['activity-detail', `/activity/${activity.id}`, `Activity #${activity.id} · BotSociety`],
    ['threads', '/threads', 'Threads · BotSociety'],
    // A thread may name itself after its title; otherwise its number.
    ['thread', `/threads/${thread.id}`, [`Thread #${thread.id} · BotSociety`, `${thread.title} · BotSociety`]],
    ['bots', '/bots', 'Bots · BotSociety'],
    ['bot-profile', '/bots/1', `${ada.name} · BotSociety`],
    ['bot-config', '/bots/1/config', `${ada.name} · Config · BotSociety`],
    ['bot-history', '/bots/1/history', `${ada.name} · Config history · BotSociety`],
    ['stats', '/stats', 'Stats · BotSociety'],
    ['memory', '/memory/1', `Memory of ${ada.name} · BotSociety`],
    ['alerts', '/alerts', 'Alerts · BotSociety'],
    ['graph', '/graph', 'Graph · BotSociety'],
    ['replay', '/replay', 'Replay · BotSociety'],
    ['not-found', '/no-such-view', 'Page not found · BotSociety'],
  ];
}, { timeout: 240_000 });

after(async () => {
  await browser?.close();
  if (backend) writeFileSync(path.join(screenshots, 'backend-responsive.log'), backend.output());
  await backend?.stop();
});

async function open(page, url) {
  await page.goto(backend.url + url);
  await page.locator('main h1').first().waitFor();
  await page.waitForLoadState('networkidle').catch(() => {});
  // Charts draw and lazy panels settle after the last response.
  await page.waitForTimeout(300);
}

const focused = (page) =>
  page.evaluate(() => {
    const el = document.activeElement;
    return {
      text: el?.textContent?.trim() ?? '',
      testid: el?.getAttribute('data-testid') ?? null,
      expanded: el?.getAttribute('aria-expanded') ?? null,
      focusVisible: el?.matches(':focus-visible') ?? false,
      // The ring is on the element, or on the card whose link it is (a bot card draws it around the whole card).
      outline: [el, el?.closest('article')].filter(Boolean).map((e) => getComputedStyle(e)).some((s) => s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2),
    };
  });

/** Tabs (forward, or back with `key: 'Shift+Tab'`) until `match(focused)` holds; fails after `limit` presses. */
async function tabTo(page, match, limit = 60, key = 'Tab') {
  for (let i = 0; i < limit; i++) {
    await page.keyboard.press(key);
    const now = await focused(page);
    if (match(now)) return now;
  }
  assert.fail('the element was not reached with Tab');
}

for (const [label, size] of [['a phone (390x844)', PHONE], ['a tablet (768x1024)', TABLET]]) {
  describe(`every view on ${label}`, () => {
    it('fits the width: nothing scrolls sideways, and each view has its title', async () => {
      const page = await browser.newPage();
      await page.setViewportSize(size);
      const problems = [];
      for (const [name, url, title] of views) {
        await open(page, url);
        const { scrollWidth, innerWidth } = await page.evaluate(() => ({ scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth }));
        if (scrollWidth > innerWidth) problems.push(`${url}: the page is ${scrollWidth} px wide on a ${innerWidth} px screen`);
        const titles = [title].flat();
        const actual = await page.title();
        if (!titles.includes(actual)) problems.push(`${url}: the title is "${actual}", not "${titles.join('" or "')}"`);
        if (size === PHONE) await shot(page, `50-phone-${name}`);
      }
      assert.deepEqual(problems, []);
      await page.close();
    });
  });
}

describe('accessibility (axe-core, WCAG 2.2 AA)', () => {
  for (const [label, size] of [['a phone (390x844)', PHONE], ['a laptop (1440x900)', LAPTOP]]) {
    it(`finds no serious or critical violation on any view on ${label}`, async () => {
      const page = await browser.newPage();
      await page.setViewportSize(size);
      const problems = [];
      for (const [, url] of views) {
        await open(page, url);
        for (const violation of await axeViolations(page)) problems.push(`${url}: ${violation}`);
      }
      assert.deepEqual(problems, []);
      await page.close();
    });
  }

  it('finds none in the open menu on a phone', async () => {
    const page = await browser.newPage();
    await page.setViewportSize(PHONE);
    await open(page, '/activity');
    await page.getByTestId('menu').click();
    await page.locator('#sidebar nav').waitFor({ state: 'visible' });
    assert.deepEqual(await axeViolations(page), []);
    await page.close();
  });
});

describe('the keyboard alone', () => {
  it('opens the menu on a phone, goes to a view with it, and closes it with Escape', async () => {
    const page = await browser.newPage();
    await page.setViewportSize(PHONE);
    await open(page, '/activity');
    const menu = page.getByTestId('menu');
    assert.equal(await page.locator('#sidebar').isVisible(), false, 'the sidebar is a closed drawer on a phone');

    // The skip link, then Menu.
    await page.keyboard.press('Tab');
    assert.equal((await focused(page)).text, 'Skip to content');
    const onMenu = await tabTo(page, (f) => f.testid === 'menu', 3);
    assert.ok(onMenu.focusVisible && onMenu.outline, 'Menu shows its focus');
    assert.equal(onMenu.expanded, 'false');

    await page.keyboard.press('Enter');
    await page.locator('#sidebar nav').waitFor({ state: 'visible' });
    assert.equal(await menu.getAttribute('aria-expanded'), 'true');
    assert.equal((await focused(page)).text, 'Close the menu', 'the focus moves into the drawer');
    assert.equal(await page.evaluate(() => document.querySelector('main')?.closest('[inert]') !== null), true, 'the page behind the drawer is inert');
    await shot(page, '51-phone-menu-open');

    // Down the list to Threads; Enter opens it, the drawer closes, the focus is on the new view.
    const onThreads = await tabTo(page, (f) => f.text === 'Threads', 8);
    assert.ok(onThreads.focusVisible && onThreads.outline, 'the link shows its focus');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { level: 1, name: 'Threads' }).waitFor();
    await page.locator('#sidebar').waitFor({ state: 'hidden' });
    assert.equal(await menu.getAttribute('aria-expanded'), 'false');
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'main', 'the focus is on the view that opened');
    assert.equal(await page.title(), 'Threads · BotSociety');

    // Open again; Escape closes it and the focus is back on Menu.
    await menu.focus();
    await page.keyboard.press('Space');
    await page.locator('#sidebar nav').waitFor({ state: 'visible' });
    await page.keyboard.press('Escape');
    await page.locator('#sidebar').waitFor({ state: 'hidden' });
    assert.equal((await focused(page)).testid, 'menu', 'Escape gives the focus back to Menu');
    assert.equal(await page.evaluate(() => document.querySelector('[inert]')), null, 'nothing stays inert');
    await page.close();
  });

  /** From the bots page to bot 1's Pause button with Tab and Enter alone; returns the bot. */
  async function toPauseToggle(page) {
    const bot = await api('/api/bots/1');
    if (bot.status === 'paused') await api('/api/bots/1/resume', { method: 'POST' });
    await open(page, '/bots');
    // The bot's card is one link (its name); its focus ring goes round the card.
    const onCard = await tabTo(page, (f) => f.text === bot.name);
    assert.ok(onCard.focusVisible && onCard.outline, 'the card shows its focus');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { level: 1, name: bot.name }).waitFor();
    const onPause = await tabTo(page, (f) => f.testid === 'pause-toggle');
    assert.equal(onPause.text, 'Pause');
    assert.ok(onPause.focusVisible && onPause.outline, 'Pause shows its focus');
    return bot;
  }

  const toggleSays = (page, text) =>
    page.waitForFunction((t) => document.querySelector('[data-testid="pause-toggle"]')?.textContent?.trim() === t, text);

  it('pauses and resumes a bot with Tab, Enter and Space, the focus visible all along', async () => {
    const page = await browser.newPage();
    await page.setViewportSize(LAPTOP);
    await toPauseToggle(page);
    await shot(page, '52-keyboard-pause-focused');
    await page.keyboard.press('Enter');
    await toggleSays(page, 'Resume');
    assert.equal((await api('/api/bots/1')).status, 'paused');

    // Back on the button (now Resume) with the keyboard: it is there already, or a Shift+Tab or a few Tabs away.
    if ((await focused(page)).testid !== 'pause-toggle') {
      await page.keyboard.press('Shift+Tab');
      if ((await focused(page)).testid !== 'pause-toggle') await tabTo(page, (f) => f.testid === 'pause-toggle');
    }
    const onResume = await focused(page);
    assert.equal(onResume.text, 'Resume');
    assert.ok(onResume.focusVisible && onResume.outline, 'Resume shows its focus');
    await page.keyboard.press('Space');
    await toggleSays(page, 'Pause');
    assert.equal((await api('/api/bots/1')).status, 'active');
    await page.close();
  });

  // The toggle is aria-disabled, not disabled, while it saves: a disabled button would lose the focus, and a keyboard
  // user would have to find it again to undo.
  it('keeps the focus on the pause toggle after Enter, so Space resumes at once', async () => {
    const page = await browser.newPage();
    await page.setViewportSize(LAPTOP);
    await toPauseToggle(page);
    await page.keyboard.press('Enter');
    await toggleSays(page, 'Resume');
    const onResume = await focused(page);
    try {
      assert.equal(onResume.testid, 'pause-toggle', `the focus stays on the toggle (it is on "${onResume.text.slice(0, 40)}")`);
      assert.ok(onResume.focusVisible && onResume.outline, 'Resume shows its focus');
      // Space at once, with no Tab in between, resumes the bot.
      await page.keyboard.press('Space');
      await toggleSays(page, 'Pause');
      assert.equal((await api('/api/bots/1')).status, 'active');
      assert.equal((await focused(page)).testid, 'pause-toggle', 'the focus is still on the toggle after Space');
    } finally {
      await api('/api/bots/1/resume', { method: 'POST' });
      await page.close();
    }
  });

  it("sets the society's pace from the header with Space and Enter", async () => {
    const page = await browser.newPage();
    await page.setViewportSize(PHONE);
    await open(page, '/activity');
    const onSlow = await tabTo(page, (f) => f.text === 'Slow', 10);
    assert.ok(onSlow.focusVisible && onSlow.outline, 'the pace button shows its focus');
    await page.keyboard.press('Space');
    await page.waitForFunction(() => document.querySelector('[role="radio"][aria-checked="true"]')?.textContent === 'Slow');
    assert.equal((await api('/api/pace')).pace, 'slow');
    assert.equal((await focused(page)).text, 'Slow', 'the focus stays on the pressed button');
    await page.keyboard.press('Tab');
    assert.equal((await focused(page)).text, 'Normal');
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => document.querySelector('[role="radio"][aria-checked="true"]')?.textContent === 'Normal');
    assert.equal((await api('/api/pace')).pace, 'normal');
    await page.close();
  });
});

describe('a laptop (1440x900)', () => {
  it('shows the leaderboard beside the activity stream', async () => {
    const page = await browser.newPage();
    await page.setViewportSize(LAPTOP);
    await open(page, '/activity');
    const board = page.getByRole('complementary', { name: 'Leaderboard' });
    await board.waitFor();
    assert.equal(await board.isVisible(), true);
    assert.equal(await page.locator('#sidebar nav').isVisible(), true, 'the sidebar is there, not a menu');
    assert.equal(await page.getByTestId('menu').isVisible(), false);
    await shot(page, '53-laptop-activity');
    await page.close();
  });
});
