// The dashboard image's nginx template in front of devhost: the built dashboard, /api/ proxied to the functions,
// /client/ upgraded to WebSockets at the relay, and the headers staticwebapp.config.json asks for. devhost plays
// both upstreams (it serves the functions and mounts the relay on one port), and tells browsers nginx's address.
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { freePort, startBackend } from '../e2e/support/backend.mjs';
import { launchBrowser } from '../e2e/support/browser.mjs';
import { repo, startNginx } from './support/nginx.mjs';

const dist = path.join(repo, 'static-web/dist');
const swaConfig = JSON.parse(readFileSync(path.join(repo, 'staticwebapp.config.json'), 'utf8'));

let backend;
let nginx;
let browser;

before(async () => {
  const port = await freePort();
  backend = await startBackend({ days: 0, env: { Realtime__PublicEndpoint: `http://localhost:${port}` } });
  const upstream = new URL(backend.api).host;
  nginx = await startNginx(port, {
    DASHBOARD_ROOT: dist,
    FUNCTIONS_UPSTREAM: upstream,
    RELAY_UPSTREAM: upstream,
    NGINX_RESOLVER: '127.0.0.1',
    FUNCTIONS_KEY: '',
  });
  browser = await launchBrowser();
}, { timeout: 240_000 });

after(async () => {
  await browser?.close();
  await nginx?.stop();
  await backend?.stop();
});

/** A raw GET through nginx: status, headers and the body as sent (not decompressed). */
function get(pathname, headers = {}) {
  const { port } = new URL(nginx.url);
  return new Promise((resolve, reject) => {
    http.get({ host: '127.0.0.1', port, path: pathname, headers: { host: `localhost:${port}`, ...headers } }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks) }));
    }).on('error', reject);
  });
}

async function post(pathname) {
  const response = await fetch(nginx.url + pathname, { method: 'POST' });
  assert.ok(response.ok, `POST ${pathname} through nginx answered ${response.status}: ${await response.text()}`);
}

/** The first text frame of a WebSocket opened through nginx at `url`, after checking the handshake. */
function openWebSocket(url, protocol) {
  const target = new URL(url);
  const key = randomBytes(16).toString('base64');
  return new Promise((resolve, reject) => {
    const request = http.request({
      host: '127.0.0.1',
      port: target.port,
      path: target.pathname + target.search,
      headers: {
        host: target.host,
        connection: 'Upgrade',
        upgrade: 'websocket',
        'sec-websocket-version': '13',
        'sec-websocket-key': key,
        'sec-websocket-protocol': protocol,
      },
    });
    request.setTimeout(10_000, () => request.destroy(new Error('no answer to the upgrade within 10 s')));
    request.on('response', (res) => reject(new Error(`the upgrade was answered ${res.statusCode}, not 101`)));
    request.on('error', reject);
    request.on('upgrade', (res, socket, head) => {
      let buffer = head;
      const expectedAccept = createHash('sha1').update(key + '258EAFA5-E914-47DA-95CA-C5AB0DC85B11').digest('base64');
      const tryFrame = () => {
        if (buffer.length < 2) return;
        let length = buffer[1] & 0x7f;
        let offset = 2;
        if (length === 126) { if (buffer.length < 4) return; length = buffer.readUInt16BE(2); offset = 4; }
        if (length === 127) { if (buffer.length < 10) return; length = Number(buffer.readBigUInt64BE(2)); offset = 10; }
        if (buffer.length < offset + length) return;
        socket.destroy();
        resolve({ status: res.statusCode, headers: res.headers, expectedAccept, opcode: buffer[0] & 0x0f, text: buffer.subarray(offset, offset + length).toString('utf8') });
      };
      socket.on('data', (chunk) => { buffer = Buffer.concat([buffer, chunk]); tryFrame(); });
      socket.on('error', reject);
      tryFrame();
    });
    request.end();
  });
}

describe('nginx in front of the app', () => {
  it('answers /api/health through the proxy', async () => {
    const response = await get('/api/health');
    assert.equal(response.status, 200, response.body.toString());
    assert.match(response.headers['content-type'], /json/);
    assert.ok(JSON.parse(response.body.toString()), 'the health answer is JSON');
  });

  it('hands out its own address in negotiate and upgrades /client/ to a WebSocket at the relay', async () => {
    const negotiate = JSON.parse((await get('/api/negotiate')).body.toString());
    const url = new URL(negotiate.url);
    assert.equal(url.host, new URL(nginx.url).host, `negotiate pointed browsers at ${negotiate.url}, not at nginx`);
    assert.match(url.pathname, /^\/client\/hubs\//);

    const socket = await openWebSocket(negotiate.url, 'json.reliable.webpubsub.azure.v1');
    assert.equal(socket.status, 101);
    assert.equal(socket.headers['sec-websocket-accept'], socket.expectedAccept);
    assert.equal(socket.headers['sec-websocket-protocol'], 'json.reliable.webpubsub.azure.v1');
    assert.equal(socket.opcode, 1, 'the first frame is text');
    const message = JSON.parse(socket.text);
    assert.equal(message.type, 'system');
    assert.equal(message.event, 'connected');
  });

  it('shows a new heartbeat in the dashboard without a reload', async () => {
    const page = await browser.newPage();
    const sockets = [];
    page.on('websocket', (ws) => sockets.push(ws.url()));
    await page.goto(`${nginx.url}/activity`);
    await page.waitForFunction(() => document.querySelector('header [data-status]')?.getAttribute('data-status') === 'live', null, { timeout: 20_000 });
    assert.ok(sockets.length > 0 && sockets.every((u) => new URL(u).host === new URL(nginx.url).host), `the page's sockets: ${sockets.join(', ')}`);
    const known = await page.locator('[data-testid="activity-list"] [data-key]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-key')));

    // Pause and resume through nginx (POST proxied) make bot 1 due; devhost's admin API runs the tick now.
    await post('/api/bots/1/pause');
    await post('/api/bots/1/resume');
    const run = await fetch(`${backend.api}/admin/functions/Heartbeat`, { method: 'POST' });
    assert.equal(run.status, 202, `Heartbeat answered ${run.status}`);
    await page.waitForFunction(
      (keys) => [...document.querySelectorAll('[data-testid="activity-list"] [data-type="heartbeat_complete"]')].some((r) => !keys.includes(r.getAttribute('data-key'))),
      known,
      { timeout: 5_000 },
    );
    assert.equal(await page.locator('header [data-status]').getAttribute('data-status'), 'live', 'the stream stayed live');
    assert.deepEqual(browser.errors, []);
    await page.close();
  });

  it('serves deep links with the app page and missing files as 404', async () => {
    const deep = await get('/bots/3/config');
    assert.equal(deep.status, 200);
    assert.match(deep.headers['content-type'], /text\/html/);
    assert.equal(deep.body.toString(), readFileSync(path.join(dist, 'index.html'), 'utf8'));
    assert.equal((await get('/assets/missing-0000.js')).status, 404);
    assert.equal((await get('/missing.png')).status, 404);
    assert.equal((await get('/staticwebapp.config.json')).status, 404, 'the site configuration is not served');
  });

  it("sends staticwebapp.config.json's global headers and route cache headers, gzipped", async () => {
    const asset = readFileSync(path.join(dist, 'index.html'), 'utf8').match(/\/assets\/[^"]+\.js/)?.[0];
    assert.ok(asset, 'index.html names a hashed script');
    const routeHeader = (route) => swaConfig.routes.find((r) => r.route === route)?.headers?.['cache-control'];

    for (const [pathname, expected] of [['/', routeHeader('/index.html')], ['/activity', routeHeader('/index.html')], [asset, routeHeader('/assets/*')], ['/favicon.svg', routeHeader('/favicon.svg')]]) {
      const response = await get(pathname, { 'accept-encoding': 'gzip' });
      assert.equal(response.status, 200, pathname);
      for (const [name, value] of Object.entries(swaConfig.globalHeaders)) {
        assert.equal(response.headers[name.toLowerCase()], value, `${name} on ${pathname}`);
      }
      assert.equal(response.headers['cache-control'], expected, `cache-control on ${pathname}`);
    }

    const script = await get(asset, { 'accept-encoding': 'gzip' });
    assert.equal(script.headers['content-encoding'], 'gzip', 'scripts are gzipped');
    // gzip_static: the build's own .gz copy (static-web/scripts/compress.mjs) is what goes out, byte for byte.
    assert.deepEqual(script.body, readFileSync(path.join(dist, `${asset}.gz`)), "the build's .gz copy is served as it is");
    assert.equal((await get('/api/health')).headers['content-security-policy'], undefined, "the page's policy is not put on the API");
  });
});
