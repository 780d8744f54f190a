// docker-compose (Debian's, the client only: no engine is needed to read a compose file) on the repository's file,
// with an .env written from .env.sample the way DEPLOY.md tells an operator to.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const repo = path.resolve(import.meta.dirname, '..', '..', '..');
const composeFile = path.join(repo, 'docker-compose.yml');

/** .env.sample with `values` set, as KEY=value lines replace the sample's lines of the same keys. */
export function envFrom(values) {
  let text = readFileSync(path.join(repo, '.env.sample'), 'utf8');
  for (const [key, value] of Object.entries(values)) {
    const line = new RegExp(`^${key}=.*$`, 'm');
    text = line.test(text) ? text.replace(line, `${key}=${value}`) : `${text}\n${key}=${value}\n`;
  }
  return text;
}

/** Runs docker-compose with `args` against the repository's file and an .env holding `envText`. */
export function compose(args, envText) {
  const folder = mkdtempSync(path.join(os.tmpdir(), 'botsociety-compose-'));
  try {
    const envFile = path.join(folder, '.env');
    writeFileSync(envFile, envText);
    // Only the .env may set variables: a value in this shell must not hide a missing one.
    const env = { PATH: process.env.PATH, HOME: folder };
    return spawnSync('docker-compose', ['--project-directory', repo, '--env-file', envFile, '-f', composeFile, ...args], { env, encoding: 'utf8' });
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

/** The resolved configuration as an object (docker-compose 1.x prints YAML; Debian's python3-yaml reads it). */
export function resolvedConfig(envText, options = []) {
  const result = compose([...options, 'config'], envText);
  if (result.status !== 0) throw new Error(`docker-compose config failed:\n${result.stderr}`);
  const json = execFileSync('/usr/bin/python3', ['-c', 'import json, sys, yaml; print(json.dumps(yaml.safe_load(sys.stdin)))'], { input: result.stdout, encoding: 'utf8' });
  return JSON.parse(json);
}

/** A key like the one DEPLOY.md has an operator make (openssl rand -base64 33). */
export const randomKey = () => Buffer.from(crypto.getRandomValues(new Uint8Array(33))).toString('base64');

/**
 * The profiles a command runs with: its --profile options, else COMPOSE_PROFILES from the .env (docker-compose and
 * Compose v2 both read it there, and both let the options win).
 */
export function activeProfiles(envText, options = []) {
  const flags = options.flatMap((o, i) => (o === '--profile' ? [options[i + 1]] : []));
  if (flags.length > 0) return flags;
  const line = /^COMPOSE_PROFILES=(.*)$/m.exec(envText);
  return line ? line[1].split(',').map((p) => p.trim()).filter(Boolean) : [];
}

/**
 * The services `up` starts. `config` of docker-compose 1.x prints every service, each with its profiles; as the Compose
 * specification says, a service without profiles always runs and one with profiles runs when one of them is active.
 */
export function enabledServices(config, profiles) {
  return Object.fromEntries(Object.entries(config.services).filter(([, s]) => !s.profiles || s.profiles.some((p) => profiles.includes(p))));
}
