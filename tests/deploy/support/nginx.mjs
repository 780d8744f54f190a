// Debian's nginx with the dashboard image's own template, rendered the way the nginx image renders it at start:
// envsubst given only the names of variables that are set, so nginx's $variables pass through. Runs as whoever
// runs the suite, with its pid, logs and temporary files in a folder of its own, and is stopped by its pid.
import { execFileSync, spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

export const repo = path.resolve(import.meta.dirname, '..', '..', '..');
export const templatePath = path.join(repo, 'static-web/nginx/default.conf.template');

/** The template with `values` substituted, as the image's 20-envsubst-on-templates.sh does it. */
export function renderTemplate(values) {
  const names = Object.keys(values).map((name) => '${' + name + '}').join(' ');
  return execFileSync('envsubst', [names], { input: readFileSync(templatePath, 'utf8'), env: { PATH: process.env.PATH, ...values }, encoding: 'utf8' });
}

/**
 * What the image's own nginx.conf wraps round conf.d: mime types and temporary paths. Started as root, nginx runs
 * its workers as nobody, who cannot read a dashboard in a clone under a private folder (mktemp's are 0700); the
 * workers then run as root too, and the image's own user question does not arise here.
 */
function mainConfig(folder, server) {
  const user = process.getuid?.() === 0 ? 'user root;\n' : '';
  return `${user}pid ${folder}/nginx.pid;
error_log stderr warn;
events { worker_connections 256; }
http {
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    access_log ${folder}/access.log;
    sendfile on;
    client_body_temp_path ${folder}/client_body;
    proxy_temp_path ${folder}/proxy;
    fastcgi_temp_path ${folder}/fastcgi;
    uwsgi_temp_path ${folder}/uwsgi;
    scgi_temp_path ${folder}/scgi;
    include ${server};
}
`;
}

async function waitForPort(port, proc, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (proc.exitCode !== null) throw new Error(`nginx exited (${proc.exitCode}):\n${proc.output()}`);
    const open = await new Promise((resolve) => {
      const socket = net.connect(port, '127.0.0.1', () => { socket.end(); resolve(true); });
      socket.once('error', () => resolve(false));
    });
    if (open) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`nginx did not listen on ${port} within ${timeoutMs / 1000} s:\n${proc.output()}`);
}

/** Starts nginx on `port` with the rendered template; `values` are the template's variables. */
export async function startNginx(port, values) {
  const folder = mkdtempSync(path.join(os.tmpdir(), 'botsociety-nginx-'));
  // Started as root, nginx's workers run as nobody, who must reach the temporary folders.
  chmodSync(folder, 0o755);
  const server = path.join(folder, 'dashboard.conf');
  const rendered = renderTemplate({ ...values, NGINX_PORT: String(port) });
  writeFileSync(server, rendered);
  writeFileSync(path.join(folder, 'nginx.conf'), mainConfig(folder, server));
  execFileSync('nginx', ['-t', '-q', '-p', folder, '-e', 'stderr', '-c', path.join(folder, 'nginx.conf')], { stdio: 'pipe' });

  const child = spawn('nginx', ['-p', folder, '-e', 'stderr', '-c', path.join(folder, 'nginx.conf'), '-g', 'daemon off;'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (c) => { output += c; });
  child.stderr.on('data', (c) => { output += c; });
  child.output = () => output;
  await waitForPort(port, child);
  return {
    url: `http://localhost:${port}`,
    rendered,
    output: () => output,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        // QUIT: nginx's graceful stop.
        child.kill('SIGQUIT');
        const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
        await exited;
        clearTimeout(timer);
      }
      rmSync(folder, { recursive: true, force: true });
    },
  };
}
