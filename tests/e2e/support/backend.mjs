// Starts what the browser suite runs against: devhost with the real worker on a temporary, fast-forwarded
// database, the relay it mounts for the live stream, and the built dashboard it serves. Every process is ours and
// is stopped by its pid.
import { spawn, execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

export const repo = path.resolve(import.meta.dirname, '..', '..', '..');

const devhostDll = path.join(repo, 'devhost/bin/Release/net10.0/BotSociety.DevHost.dll');
const benchDll = path.join(repo, 'bench/BotSociety.Bench/bin/Release/net10.0/BotSociety.Bench.dll');
const dist = path.join(repo, 'static-web/dist');

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
      const response = await fetch(url, { signal: AbortSignal.timeout(5_000) });
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
 * fast-forwarded bots are not asleep at their daily cap when the tests make them act. `env` adds settings for the
 * worker and devhost (the deploy suite sets Realtime__PublicEndpoint to its nginx in front).
 */
export async function startBackend({ days = 1, env: extra = {} } = {}) {
  for (const [file, what] of [[devhostDll, 'devhost'], [benchDll, 'the bench'], [path.join(dist, 'index.html'), 'the dashboard']]) {
    if (!existsSync(file)) throw new Error(`${what} is not built (${file} is missing); run ./test.sh or build it first.`);
  }
  const folder = mkdtempSync(path.join(os.tmpdir(), 'botsociety-e2e-'));
  const database = path.join(folder, 'society.db');
  if (days > 0) {
    await promisify(execFile)('dotnet', [benchDll, 'fast-forward', '--db', database, '--days', String(days), '--token-cap', '200000'], { cwd: repo, maxBuffer: 8 << 20 });
  }

  const processes = [];
  const env = { Database__Path: database, Usage__DefaultDailyTokenCap: '10000000', ...extra };

  // The live stream: devhost mounts the relay when the connection string names devhost's own address, so the
  // sample's key is kept and its port made this devhost's, as run.sh does. With E2E_NO_RELAY=1 the connection string
  // is emptied, so negotiate answers 503 and the dashboard polls.
  const port = await freePort();
  if (process.env.E2E_NO_RELAY) {
    env.Realtime__ConnectionString = '';
  } else if (!('Realtime__ConnectionString' in extra)) {
    const sample = JSON.parse(readFileSync(path.join(repo, 'local.settings.sample.json'), 'utf8')).Values.Realtime__ConnectionString;
    env.Realtime__ConnectionString = sample.replace(/Endpoint=[^;]*;/, `Endpoint=http://localhost:${port};`);
  }

  const args = [devhostDll, '--script-root', 'functions/bin/Release/net10.0', '--settings', 'local.settings.sample.json', '--port', String(port)];
  args.push('--static-root', dist);
  const devhost = start('devhost', 'dotnet', args, env);
  processes.push(devhost);
  const api = `http://127.0.0.1:${port}`;
  await waitFor(`${api}/api/health`, devhost);

  const url = `http://localhost:${port}`;
  const live = (await fetch(`${api}/api/negotiate`, { signal: AbortSignal.timeout(30_000) })).ok;

  return {
    url,
    api,
    live,
    database,
    output: () => processes.map((p) => `--- ${p.name}\n${p.output()}`).join('\n'),
    async stop() {
      for (const proc of processes.reverse()) await stop(proc);
      rmSync(folder, { recursive: true, force: true });
    },
  };
}
