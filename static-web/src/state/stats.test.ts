import { describe, expect, it, vi } from 'vitest';
import type { Api } from '../api/client';
import { createStatsModel, rangeDays } from './stats';

/** An API whose every Stats request is counted and answered with its own name and query. */
function countingApi() {
  const answer = (name: string) => vi.fn(async (query?: unknown) => ({ name, query }));
  return {
    stats: answer('stats'),
    usage: answer('usage'),
    reputationHistory: answer('reputation'),
    activity: answer('audit'),
    models: answer('models'),
  };
}

// 2026-12-06 12:00 UTC: the last 7 days are 30 Nov to 6 Dec.
const now = Date.UTC(2026, 11, 6, 12);
const week = { from: '2026-11-30', to: '2026-12-06' };

describe('the Stats page data', () => {
  it('hands the page the requests the first task sent, once each, and asks afresh after that', async () => {
    const api = countingApi();
    const model = createStatsModel(api as unknown as Api);
    model.prefetch(7, now);
    expect([api.stats, api.usage, api.reputationHistory, api.activity, api.models].map((f) => f.mock.calls.length)).toEqual([1, 1, 1, 1, 1]);
    expect(api.usage).toHaveBeenCalledWith(week, undefined);
    expect(api.reputationHistory).toHaveBeenCalledWith({ since: '2026-11-30T00:00:00Z', limit: 500 }, undefined);
    expect(api.activity).toHaveBeenCalledWith({ audit: true, since: '2026-11-30T00:00:00Z', limit: 200 }, undefined);

    expect(await model.request('usage', week)).toEqual({ name: 'usage', query: week });
    expect(api.usage).toHaveBeenCalledTimes(1);
    // A reload of the same range is a new request, not the answer the page already has.
    await model.request('usage', week);
    expect(api.usage).toHaveBeenCalledTimes(2);
  });

  it('sends a request of its own for a range nobody prefetched', async () => {
    const api = countingApi();
    const model = createStatsModel(api as unknown as Api);
    model.prefetch(7, now);
    const fortnight = { from: '2026-11-23', to: '2026-12-06' };
    await model.request('usage', fortnight);
    expect(api.usage).toHaveBeenLastCalledWith(fortnight, undefined);
    expect(api.usage).toHaveBeenCalledTimes(2);
  });

  it('gives the page a prefetched request\'s error, and one never taken is no unhandled rejection', async () => {
    // A plain function: a vi.fn would itself handle the promise it returns (it records how it settled).
    const api = { ...countingApi(), stats: () => Promise.reject(new Error('503: database busy')) };
    const model = createStatsModel(api as unknown as Api);
    model.prefetch(7, now);
    await expect(model.request('stats', week)).rejects.toThrow('503: database busy');
    // Node's own report of a rejection nobody handled (the tests run in Node, without its types).
    const node = (globalThis as unknown as { process: { on(e: string, f: () => void): void; off(e: string, f: () => void): void } }).process;
    const unhandled = vi.fn();
    node.on('unhandledRejection', unhandled);
    try {
      createStatsModel(api as unknown as Api).prefetch(7, now); // a page that never asks for it
      await new Promise((r) => setTimeout(r, 10));
    } finally {
      node.off('unhandledRejection', unhandled);
    }
    expect(unhandled).not.toHaveBeenCalled();
  });

  it('reads the range from the address, 7 days unless it names another offered one', () => {
    expect([rangeDays('14'), rangeDays('30'), rangeDays(null), rangeDays('5'), rangeDays('x')]).toEqual([14, 30, 7, 7, 7]);
  });
});
