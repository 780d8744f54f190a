import { describe, expect, it } from 'vitest';
import { cappedReason, cappedReasonOf, cappedSentence, cappedStatusText, capWarnings } from './capText';

describe('cap warnings', () => {
  const ada = { name: 'Ada', tokensToday: 98_006, costTodayUsd: 0.42 };
  it('warns before a token cap below today\'s use caps the bot at once', () => {
    expect(capWarnings({ ...ada, tokenCap: 50_000, costCapUsd: null })).toEqual([
      'Ada has used 98,006 tokens today; a cap of 50,000 tokens caps Ada at once, until 00:00 UTC.',
    ]);
  });
  it('warns for a cost cap below today\'s spend, in dollars and cents', () => {
    expect(capWarnings({ ...ada, tokenCap: null, costCapUsd: 0.25 })).toEqual([
      'Ada has spent $0.42 today; a cap of $0.25 caps Ada at once, until 00:00 UTC.',
    ]);
  });
  it('says nothing for caps above today\'s use, or caps not being changed', () => {
    expect(capWarnings({ ...ada, tokenCap: 200_000, costCapUsd: 1 })).toEqual([]);
    expect(capWarnings({ ...ada, tokenCap: null, costCapUsd: null })).toEqual([]);
  });
  it('counts a cap equal to today\'s use as reached, as the server does', () => {
    expect(capWarnings({ ...ada, tokenCap: 98_006, costCapUsd: null })).toHaveLength(1);
  });
});

describe('the capped reason', () => {
  it('is written with thousands separators', () => {
    expect(cappedReason({ tokensToday: 98_006, tokenCap: 50_000, costTodayUsd: 0, costCapUsd: 1 })).toBe('Daily token cap reached: 98,006 of 50,000 tokens');
    expect(cappedReason({ tokensToday: 10, tokenCap: 50_000, costTodayUsd: 1.02, costCapUsd: 1 })).toBe('Daily cost cap reached: $1.02 of $1.00');
    expect(cappedReason({ tokensToday: 10, tokenCap: 50_000, costTodayUsd: 0.5, costCapUsd: 1 })).toBeNull();
  });
  it('is rebuilt from a usage_capped row\'s numbers, whatever the server wrote', () => {
    const details = { reason: 'Daily token cap reached (98006/50000)', tokens_today: 98_006, token_cap: 50_000, cost_today_usd: 0, cost_cap_usd: 1 };
    expect(cappedReasonOf(details)).toBe('Daily token cap reached: 98,006 of 50,000 tokens');
    expect(cappedSentence(details)).toBe('reached its daily token cap (98,006 of 50,000 tokens) and rests until 00:00 UTC');
    expect(cappedSentence({ reason: 'Daily cap reached' })).toBe('Daily cap reached; rests until 00:00 UTC');
    expect(cappedSentence({})).toBe('reached its daily cap and rests until 00:00 UTC');
  });
});

describe('a bot stopped just short of its cap', () => {
  const use = { tokensToday: 198_774, tokenCap: 200_000, costTodayUsd: 0, costCapUsd: 1 };
  const server = 'Daily token cap would be passed: 198774 used + about 1498 for the next prompt ≥ 200000';
  it('says so with formatted numbers, the next prompt\'s estimate included', () => {
    expect(cappedStatusText(use, server)).toBe('Daily token cap nearly reached: 198,774 of 200,000 tokens; the next prompt (about 1,498 tokens) would pass it');
    expect(cappedSentence({ reason: server, tokens_today: 198_774, token_cap: 200_000, cost_today_usd: 0, cost_cap_usd: 1 }))
      .toBe('stopped short of its daily token cap (198,774 of 200,000 tokens; the next prompt, about 1,498 tokens, would pass it) and rests until 00:00 UTC');
  });
  it('words the cost cap the same way, in dollars', () => {
    const cost = 'Daily cost cap would be passed: $0.9950 used + about $0.0100 for the next prompt ≥ $1.00';
    expect(cappedStatusText({ tokensToday: 10, tokenCap: 200_000, costTodayUsd: 0.995, costCapUsd: 1 }, cost))
      .toBe('Daily cost cap nearly reached: $0.99 of $1.00; the next prompt (about $0.01) would pass it');
  });
  it('has nothing to say for a bot under its caps with no reason', () => {
    expect(cappedStatusText(use, null)).toBeNull();
  });
});
