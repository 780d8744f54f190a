// Starts what the browser suite runs against: devhost with the real worker on a temporary, fast-forwarded
// database, the relay for the live stream when it is built, and the built dashboard. Every process is ours and
// is stopped by its pid.
import { spawn, execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { startStaticServer } from './static-server.mjs';

export const repo = path.resolve(import.meta.dirname, '..', '..', '..');

// How the dashboard is served. 'devhost': devhost --static-root static-web/dist (as ./run.sh does).
// 'static-server': our small server in front of devhost (support/static-server.mjs), for a devhost without it.
const DASHBOARD_FROM = 'devhost';

const devhostDll = path.join(repo, 'devhost/bin/Release/net10.0/BotSociety.DevHost.dll');
const relayDll = path.join(repo, 'relay/bin/Release/net10.0/BotSociety.Relay.dll');
const benchDll = path.join(repo, 'bench/BotSociety.Bench/bin/Release/net10.0/BotSociety.Bench.dll');
const dist = path.join(repo, 'static-web/dist');
const accessKey = 'e2e-access-key-0123456789abcdef0123456789';

export async function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

function start(name, command, args, env) {
  const child = spawn(command, args, { cwd: repo, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const keep = (chunk) => {
    output += chunk;
    if (output.length > 200_000) output = output.slice(-100_000);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  return { name, child, output: () => output };
}

async function stop(proc) {
  if (!proc || proc.child.exitCode !== null || proc.child.signalCode !== null) return;
  const exited = new Promise((resolve) => proc.child.once('exit', resolve));
  proc.child.kill('SIGTERM');
  const timer = setTimeout(() => proc.child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}

async function waitFor(url, proc, timeoutMs = 90_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (proc.child.exitCode !== null) throw new Error(`${proc.name} exited (${proc.child.exitCode}):\n${proc.output()}`);
    try {
      const response = await fetch(url);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${url} did not answer within ${timeoutMs / 1000} s:\n${proc.output()}`);
}

/**
 * Starts the backend. `days` of society are fast-forwarded first (threads, votes, memory and usage to look at) at
 * twice the default cap, enough for several pages of memory per bot; the live cap is raised so the
 * fast-forwarded bots are not asleep at their daily cap when the tests make them act.
 */
export async function startBackend({ days = 1 } = {}) {
  for (const [file, what] of [[devhostDll, 'devhost'], [benchDll, 'the bench'], [path.join(dist, 'index.html'), 'the dashboard']]) {
    if (!existsSync(file)) throw new Error(`${what} is not built (${file} is missing); run ./test.sh or build it first.`);
  }
  const folder = mkdtempSync(path.join(os.tmpdir(), 'botsociety-e2e-'));
  const database = path.join(folder, 'society.db');
  if (days > 0) {
    await promisify(execFile)('dotnet', [benchDll, 'fast-forward', '--db', database, '--days', String(days), '--token-cap', '200000'], { cwd: repo, maxBuffer: 8 << 20 });
  }

  const processes = [];
  const env = { Database__Path: database, Usage__DefaultDailyTokenCap: '10000000' };

  // The relay, when built: the live stream the dashboard connects to. Without it (or with E2E_NO_RELAY=1)
  // negotiate answers 503 and the dashboard polls, which the suite also covers.
  let live = false;
  if (existsSync(relayDll) && !process.env.E2E_NO_RELAY) {
    const relayPort = await freePort();
    const connection = `Endpoint=http://localhost:${relayPort};AccessKey=${accessKey};Version=1.0;`;
    const relay = start('relay', 'dotnet', [relayDll], { Relay__ConnectionString: connection, ASPNETCORE_URLS: `http://127.0.0.1:${relayPort}` });
    processes.push(relay);
    await waitForPort(relayPort, relay);
    env.Realtime__ConnectionString = connection;
    live = true;
  }

  const port = await freePort();
  const args = [devhostDll, '--script-root', 'functions/bin/Release/net10.0', '--settings', 'local.settings.sample.json', '--port', String(port)];
  if (DASHBOARD_FROM === 'devhost') args.push('--static-root', dist);
  const devhost = start('devhost', 'dotnet', args, env);
  processes.push(devhost);
  const api = `http://127.0.0.1:${port}`;
  await waitFor(`${api}/api/health`, devhost);

  let site = null;
  if (DASHBOARD_FROM === 'static-server') site = await startStaticServer({ root: dist, backend: api });
  const url = site ? site.url : `http://localhost:${port}`;

  if (live) live = (await fetch(`${api}/api/negotiate`)).ok;

  return {
    url,
    api,
    live,
    database,
    output: () => processes.map((p) => `--- ${p.name}\n${p.output()}`).join('\n'),
    async stop() {
      await site?.close();
      for (const proc of processes.reverse()) await stop(proc);
      rmSync(folder, { recursive: true, force: true });
    },
  };
}

async function waitForPort(port, proc, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (proc.child.exitCode !== null) throw new Error(`${proc.name} exited:\n${proc.output()}`);
    const open = await new Promise((resolve) => {
      const socket = net.connect(port, '127.0.0.1', () => { socket.end(); resolve(true); });
      socket.on('error', () => resolve(false));
    });
    if (open) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`port ${port} did not open:\n${proc.output()}`);
}
