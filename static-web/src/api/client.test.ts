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

describe('the operator calls', () => {
  it('asks for the audit trail with audit=true and leaves it out otherwise', async () => {
    const calls = stubFetch(200, { items: [], total: 0, limit: 200, offset: 0 });
    await api.activity({ audit: true, since: '2026-12-01T00:00:00Z', limit: 200 });
    await api.activity({ audit: false, limit: 5 });
    expect(calls[0].url).toBe('/api/activity?since=2026-12-01T00%3A00%3A00Z&limit=200&audit=true');
    expect(calls[1].url).toBe('/api/activity?limit=5');
  });

  it('deletes a rule with the key and takes the empty 204', async () => {
    const calls = stubFetch(204);
    setFunctionKey('k');
    await expect(api.deleteAlert(7)).resolves.toBeUndefined();
    expect(calls[0].url).toBe('/api/alerts/7');
    expect(calls[0].init.method).toBe('DELETE');
    expect(header(calls[0].init, 'x-functions-key')).toBe('k');
  });

  it("puts a refused rule's field errors where the form finds them", async () => {
    stubFetch(400, { title: 'The request is not valid.', status: 400, errors: { count: ['is 0; it must be between 1 and 1000'], webhook_url: ['must be an absolute http or https URL'] } });
    const error = (await api.createAlert({ kind: 'heartbeat_failed', count: 0 }).catch((e: unknown) => e)) as ApiError;
    expect(error.status).toBe(400);
    expect(error.errorsFor('count')).toEqual(['is 0; it must be between 1 and 1000']);
    expect(error.errorsFor('webhook_url')).toEqual(['must be an absolute http or https URL']);
  });
});

describe('the interview', () => {
  it('posts the question and reads the answer', async () => {
    const calls = stubFetch(200, { answer: 'I trust Ada.', model: 'offline-simulator', tokens_used: 420, cost_usd: 0, simulated: true });

    const answer = await api.interview(3, 'Whom do you trust?');

    expect(calls[0].url).toBe('/api/bots/3/interview');
    expect(calls[0].init.method).toBe('POST');
    expect(JSON.parse(calls[0].init.body as string)).toEqual({ question: 'Whom do you trust?' });
    expect(answer.simulated).toBe(true);
  });

  it('says why a capped bot does not answer, and names the question when it is refused', async () => {
    stubFetch(409, { title: 'The bot cannot be interviewed now.', detail: 'Ada is capped for today.', status: 409 });
    const capped = await api.interview(3, 'Hello?').catch((e: unknown) => e);
    stubFetch(400, { title: 'The request is not valid.', detail: 'question must not be empty', status: 400, errors: { question: ['must not be empty'] } });
    const empty = await api.interview(3, ' ').catch((e: unknown) => e);

    expect((capped as ApiError).message).toBe('Ada is capped for today.');
    expect((empty as ApiError).errorsFor('question')).toEqual(['must not be empty']);
  });
});
