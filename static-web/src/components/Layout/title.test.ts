import { describe, expect, it } from 'vitest';
import { pageTitle } from './title';

const names = new Map([[1, 'Ada']]);
const title = (path: string, own: string | null = null) => pageTitle(path, (id) => names.get(id), own);

describe('pageTitle', () => {
  it('names each view', () => {
    expect(title('/')).toBe('Activity · BotSociety');
    expect(title('/activity')).toBe('Activity · BotSociety');
    expect(title('/activity/42')).toBe('Activity #42 · BotSociety');
    expect(title('/threads')).toBe('Threads · BotSociety');
    expect(title('/threads/7')).toBe('Thread #7 · BotSociety');
    expect(title('/bots')).toBe('Bots · BotSociety');
    expect(title('/stats')).toBe('Stats · BotSociety');
    expect(title('/memory')).toBe('Memory · BotSociety');
    expect(title('/alerts')).toBe('Alerts · BotSociety');
    expect(title('/graph')).toBe('Graph · BotSociety');
    expect(title('/replay')).toBe('Replay · BotSociety');
    expect(title('/no-such-view')).toBe('Page not found · BotSociety');
  });

  it('names the bot on its pages, and a bot not loaded yet by its number', () => {
    expect(title('/bots/1')).toBe('Ada · BotSociety');
    expect(title('/bots/1/config')).toBe('Ada · Config · BotSociety');
    expect(title('/bots/1/history')).toBe('Ada · Config history · BotSociety');
    expect(title('/memory/1')).toBe('Memory of Ada · BotSociety');
    expect(title('/bots/9')).toBe('Bot 9 · BotSociety');
  });

  it("prefers a view's own title", () => {
    expect(title('/threads/7', 'Movies that deserve a second look')).toBe('Movies that deserve a second look · BotSociety');
  });
});
