import { afterEach, describe, expect, it, vi } from 'vitest';
import { setFunctionKey } from '../state/functionKey';
import { api, ApiError } from './client';

/** Records each request and answers with the given status and body. */
function stubFetch(status: number, body: unknown = {}) {
  const calls: { url: string; init: RequestInit }[] = [];
  vi.stubGlobal('fetch', async (url: string, init: RequestInit) => {
    calls.push({ url, init });
    return new Response(status === 204 || body === null ? null : JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
  });
  return calls;
}

const header = (init: RequestInit, name: string) => (init.headers as Record<string, string>)[name];

afterEach(() => {
  vi.unstubAllGlobals();
  setFunctionKey('');
});

describe('the function key', () => {
  it('goes with changes and never with reads', async () => {
    const calls = stubFetch(200, { pace: 'fast' });
    setFunctionKey('  secret-key  ');

    await api.pace();
    await api.setPace('fast');

    expect(header(calls[0].init, 'x-functions-key')).toBeUndefined();
    expect(header(calls[1].init, 'x-functions-key')).toBe('secret-key');
  });

  it('is not sent when none is set', async () => {
    const calls = stubFetch(200, { pace: 'fast' });

    await api.setPace('fast');

    expect(header(calls[0].init, 'x-functions-key')).toBeUndefined();
  });

  it('turns an empty 401 into what to do, depending on whether a key was given', async () => {
    stubFetch(401, null);
    const without = await api.setPace('fast').catch((e: unknown) => e);
    setFunctionKey('wrong');
    const wrong = await api.setPace('fast').catch((e: unknown) => e);

    expect(without).toBeInstanceOf(ApiError);
    expect((without as ApiError).status).toBe(401);
    expect((without as ApiError).message).toMatch(/asks for a function key/);
    expect((wrong as ApiError).message).toMatch(/was refused/);
  });
});
