// The function key nginx lends the dashboard (FUNCTIONS_KEY): sent with API requests that bring none, never in
// place of a caller's own, and not at all when it is empty. An echo server stands in for the Functions host, so
// what nginx forwards can be read.
import assert from 'node:assert/strict';
import http from 'node:http';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { freePort } from '../e2e/support/backend.mjs';
import { repo, startNginx } from './support/nginx.mjs';

let echo;
const proxies = [];

before(async () => {
  echo = http.createServer((request, response) => {
    response.setHeader('content-type', 'application/json');
    response.end(JSON.stringify({ key: request.headers['x-functions-key'] ?? null }));
  });
  await new Promise((resolve) => echo.listen(0, '127.0.0.1', resolve));
});

after(async () => {
  for (const proxy of proxies) await proxy.stop();
  await new Promise((resolve) => echo?.close(resolve));
});

async function proxyWithKey(key) {
  const upstream = `127.0.0.1:${echo.address().port}`;
  const proxy = await startNginx(await freePort(), {
    DASHBOARD_ROOT: path.join(repo, 'static-web/dist'),
    FUNCTIONS_UPSTREAM: upstream,
    RELAY_UPSTREAM: upstream,
    NGINX_RESOLVER: '127.0.0.1',
    FUNCTIONS_KEY: key,
  });
  proxies.push(proxy);
  return proxy;
}

const forwardedKey = async (proxy, headers = {}) => (await (await fetch(`${proxy.url}/api/pace`, { method: 'PUT', headers })).json()).key;

describe('the function key nginx lends the dashboard', () => {
  it('goes with API requests that bring no key', async () => {
    const proxy = await proxyWithKey('lent-key');
    assert.equal(await forwardedKey(proxy), 'lent-key');
  });

  it("never replaces a caller's own key", async () => {
    const proxy = await proxyWithKey('lent-key');
    assert.equal(await forwardedKey(proxy, { 'x-functions-key': 'own-key' }), 'own-key');
  });

  it("is not sent when none is configured, and a caller's own still passes", async () => {
    const proxy = await proxyWithKey('');
    assert.equal(await forwardedKey(proxy), null);
    assert.equal(await forwardedKey(proxy, { 'x-functions-key': 'own-key' }), 'own-key');
  });
});
