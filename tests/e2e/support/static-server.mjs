// Serves the built dashboard the way staticwebapp.config.json describes it (files, then index.html for any
// other non-/api path) and forwards /api and the relay's /client WebSocket path to devhost. It stands in for
// devhost's own static hosting until that lands; the suite then points the browser at devhost directly.
import { createReadStream, existsSync, readFileSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';

const types = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.json': 'application/json',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
};

const forwarded = (url) => url.startsWith('/api/') || url === '/api' || url.startsWith('/client/') || url.startsWith('/admin/');

/** Starts the server on a free port; resolves to { url, close() }. */
export async function startStaticServer({ root, backend }) {
  const target = new URL(backend);
  // The same security headers Static Web Apps and devhost send, so the suite catches a policy that breaks the app.
  const configFile = [path.join(root, 'staticwebapp.config.json'), path.join(root, '..', 'staticwebapp.config.json')].find(existsSync);
  const globalHeaders = configFile ? JSON.parse(readFileSync(configFile, 'utf8')).globalHeaders ?? {} : {};
  const server = http.createServer(async (req, res) => {
    if (forwarded(req.url)) return proxy(req, res, target);
    const pathname = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    const file = path.join(root, path.normalize(pathname).replace(/^([/\\])+/, ''));
    if (!file.startsWith(root)) {
      res.writeHead(400).end();
      return;
    }
    const found = await stat(file).then((s) => s.isFile(), () => false);
    // Hashed assets that are missing are a real 404; any other path is a client-side route.
    if (!found && pathname.startsWith('/assets/')) {
      res.writeHead(404).end();
      return;
    }
    const served = found ? file : path.join(root, 'index.html');
    res.writeHead(200, {
      ...globalHeaders,
      'content-type': types[path.extname(served)] ?? 'application/octet-stream',
      'cache-control': served.includes(`${path.sep}assets${path.sep}`) ? 'public, max-age=31536000, immutable' : 'no-cache',
    });
    createReadStream(served).pipe(res);
  });

  // WebSocket upgrades (/client/hubs/…) are spliced through to the backend untouched.
  server.on('upgrade', (req, socket, head) => {
    const upstream = net.connect(Number(target.port), target.hostname, () => {
      const lines = [`${req.method} ${req.url} HTTP/1.1`];
      for (let i = 0; i < req.rawHeaders.length; i += 2) lines.push(`${req.rawHeaders[i]}: ${req.rawHeaders[i + 1]}`);
      upstream.write(`${lines.join('\r\n')}\r\n\r\n`);
      if (head?.length) upstream.write(head);
      upstream.pipe(socket).pipe(upstream);
    });
    upstream.on('error', () => socket.destroy());
    socket.on('error', () => upstream.destroy());
  });

  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise((resolve) => { server.closeAllConnections?.(); server.close(resolve); }),
  };
}

function proxy(req, res, target) {
  const upstream = http.request(
    { hostname: target.hostname, port: target.port, method: req.method, path: req.url, headers: { ...req.headers, host: target.host } },
    (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    },
  );
  upstream.on('error', (error) => {
    if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain' });
    res.end(`devhost is not reachable: ${error.message}`);
  });
  req.pipe(upstream);
}
