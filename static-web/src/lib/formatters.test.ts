import { describe, expect, it } from 'vitest';
import { formatCompact, formatInt, formatScore } from './format';
import { absoluteTime, formatClock, formatShortDay, relativeTime } from './time';

// The dashboard writes numbers and dates itself rather than through Intl (its start-up cost a phone's first load);
// these hold what it writes to what Intl writes for the same options, over many values.

function values(): number[] {
  const list = [0, 1, 9.95, 12.34, 999, 999.94, 999.95, 1000, 1049, 1050, 1250, 12_345, 99_949, 99_950, 999_950, 1e6, 1.05e6, 123_456_789, 1e12, -1234, -0.4];
  // A fixed sequence (no Math.random): the same values every run.
  let x = 7;
  for (let i = 0; i < 5000; i++) {
    x = (x * 48_271) % 2_147_483_647;
    list.push(Math.floor((x / 2_147_483_647) * 10 ** (1 + (i % 12))) / (i % 3 === 0 ? 10 : 1));
  }
  return list;
}

describe('number formats', () => {
  it('formatCompact writes what en-US compact notation with one decimal writes', () => {
    const intl = new Intl.NumberFormat('en-US', { notation: 'compact', maximumFractionDigits: 1 });
    const wrong = values().filter((v) => formatCompact(v) !== intl.format(v));
    expect(wrong.map((v) => `${v}: ${formatCompact(v)} / ${intl.format(v)}`)).toEqual([]);
  });

  it('formatInt and formatScore group whole numbers as en-US does', () => {
    const intl = new Intl.NumberFormat('en-US');
    // + 0: a value rounding to -0 is written "0" (Intl writes "-0").
    const wrong = values().filter((v) => formatInt(v) !== intl.format(Math.round(v) + 0));
    expect(wrong).toEqual([]);
    expect(formatInt(-1_234_567.4)).toBe('-1,234,567');
    expect(formatScore(1500)).toBe('1,500');
    expect(formatScore(12.34)).toBe('12.3');
  });
});

describe('date formats', () => {
  it('relativeTime says what Intl.RelativeTimeFormat (en, numeric auto) says, from seconds to years, both ways', () => {
    const intl = new Intl.RelativeTimeFormat('en', { numeric: 'auto' });
    const now = Date.UTC(2026, 11, 6, 12, 0, 0);
    const units: [number, Intl.RelativeTimeFormatUnit][] = [[1, 'second'], [60, 'minute'], [3600, 'hour'], [86_400, 'day'], [7 * 86_400, 'week'], [30 * 86_400, 'month'], [365 * 86_400, 'year']];
    const limits = [60, 3600, 86_400, 7 * 86_400, 30 * 86_400, 365 * 86_400, Infinity];
    const wrong: string[] = [];
    for (const seconds of [10, 11, 59, 60, 61, 119, 120, 3599, 3600, 7200, 86_399, 86_400, 172_800, 604_800, 1_209_600, 2_592_000, 5_184_000, 31_536_000, 63_072_000, 31_536_000_000]) {
      for (const sign of [-1, 1]) {
        const index = limits.findIndex((limit) => seconds < limit);
        const [unitSeconds, unit] = units[index];
        const expected = intl.format(Math.trunc((sign * seconds) / unitSeconds), unit);
        const actual = relativeTime(now + sign * seconds * 1000, now);
        if (actual !== expected) wrong.push(`${sign * seconds} s: ${actual} / ${expected}`);
      }
    }
    expect(wrong).toEqual([]);
    expect(relativeTime(now - 9_000, now)).toBe('just now');
    expect(relativeTime('not a date', now)).toBe('');
  });

  it('writes days and times in UTC, one way in every browser', () => {
    const t = Date.UTC(2026, 8, 5, 7, 2, 9);
    expect(formatShortDay(t)).toBe('5 Sep');
    expect(formatClock(t)).toBe('07:02');
    expect(absoluteTime(t)).toBe('5 Sep 2026, 07:02:09 UTC');
    expect(absoluteTime('2026-12-25T23:59:59Z')).toBe('25 Dec 2026, 23:59:59 UTC');
    expect(absoluteTime('nonsense')).toBe('');
  });
});
