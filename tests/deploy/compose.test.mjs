// docker-compose.yml as docker-compose reads it: valid, single-instance, only the dashboard published, health
// checks and start order, Azurite by host name, one relay key on both sides, settings from .env; SQLite on a local
// volume by default, and the postgres profile's PostgreSQL service with the app pointed at it.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { activeProfiles, compose, enabledServices, envFrom, randomKey, resolvedConfig } from './support/compose.mjs';

const key = randomKey();
const publicUrl = 'https://society.example.test';
const envText = envFrom({ RELAY_ACCESS_KEY: key, PUBLIC_URL: publicUrl });
// Resolving runs docker-compose and a YAML parse; the tests read one result, made inside the first that needs it.
let resolved;
const config = () => (resolved ??= resolvedConfig(envText));

const parseConnection = (text) => Object.fromEntries(text.split(';').filter(Boolean).map((part) => {
  const at = part.indexOf('=');
  return [part.slice(0, at).toLowerCase(), part.slice(at + 1)];
}));

describe('docker-compose.yml', () => {
  it('passes docker-compose config -q with an .env made from .env.sample', () => {
    const result = compose(['config', '-q'], envText);
    assert.equal(result.status, 0, result.stderr);
    assert.equal(result.stderr.trim(), '', 'no warnings');
  });

  it('refuses to start without a relay key, naming the setting', () => {
    const result = compose(['config', '-q'], envFrom({}));
    assert.notEqual(result.status, 0, 'the sample as committed (no key) must not configure');
    assert.match(result.stderr, /RELAY_ACCESS_KEY/);
  });

  it('runs one of each service, always restarted, with health checks, and publishes only the dashboard', () => {
    const { services } = config();
    assert.deepEqual(Object.keys(enabledServices(config(), activeProfiles(envText))).sort(), ['azurite', 'dashboard', 'functions', 'relay']);
    for (const [name, service] of Object.entries(services)) {
      assert.equal(service.restart, 'always', `${name} restart`);
      assert.ok(service.healthcheck?.test?.length, `${name} has a health check`);
      assert.ok(!service.deploy?.replicas || service.deploy.replicas === 1, `${name} runs one replica`);
      assert.ok(!service.scale || service.scale === 1, `${name} is not scaled`);
      if (name !== 'dashboard') assert.equal(service.ports, undefined, `${name} publishes no port`);
    }
    assert.deepEqual(services.dashboard.ports.map((p) => [Number(p.published), Number(p.target)]), [[8080, 8080]]);
  });

  it('starts each service after what it needs is healthy', () => {
    const { services } = config();
    const conditions = (name) => Object.fromEntries(Object.entries(services[name].depends_on ?? {}).map(([dep, v]) => [dep, v.condition]));
    assert.deepEqual(conditions('functions'), { azurite: 'service_healthy', relay: 'service_healthy' });
    assert.deepEqual(conditions('dashboard'), { functions: 'service_healthy', relay: 'service_healthy' });
  });

  it('gives the Functions host Azurite by its compose host name, on a volume', () => {
    const { services, volumes } = config();
    const storage = parseConnection(services.functions.environment.AzureWebJobsStorage);
    assert.doesNotMatch(services.functions.environment.AzureWebJobsStorage, /UseDevelopmentStorage/);
    for (const endpoint of ['blobendpoint', 'queueendpoint', 'tableendpoint']) {
      assert.equal(new URL(storage[endpoint]).hostname, 'azurite', endpoint);
    }
    assert.match(services.azurite.image, /^mcr\.microsoft\.com\/azure-storage\/azurite:/);
    const namedVolumeAt = (service, target) => services[service].volumes?.find((v) => (v.target ?? v.split(':')[1]) === target);
    for (const [service, target] of [['azurite', '/data'], ['functions', '/data']]) {
      const volume = namedVolumeAt(service, target);
      assert.ok(volume, `${service} keeps ${target} on a volume`);
      assert.ok(Object.keys(volumes).includes(volume.source ?? volume.split(':')[0]), `${service}'s ${target} is a named volume`);
    }
  });

  it('shares one relay key between the Functions app and the relay, and tells browsers the public address', () => {
    const { services } = config();
    const app = parseConnection(services.functions.environment.Realtime__ConnectionString);
    const relay = parseConnection(services.relay.environment.Relay__ConnectionString);
    assert.equal(app.accesskey, key);
    assert.equal(relay.accesskey, key);
    const appEndpoint = new URL(app.endpoint);
    assert.equal(appEndpoint.hostname, 'relay', 'events go to the relay service');
    assert.equal(new URL(relay.endpoint).hostname, 'relay');
    assert.equal(String(appEndpoint.port), relay.port, "the app's endpoint port is the relay's own");
    assert.equal(services.functions.environment.Realtime__PublicEndpoint, publicUrl);
    assert.equal(services.dashboard.environment.RELAY_UPSTREAM, `relay:${relay.port}`);
  });

  it('logs at production levels by default', () => {
    const { services } = config();
    assert.equal(services.functions.environment.AzureFunctionsJobHost__logging__logLevel__default, 'Warning');
    assert.equal(services.functions.environment.Logging__LogLevel__Default, 'Warning');
    assert.equal(services.relay.environment.Logging__LogLevel__Default, 'Warning');
    assert.equal(services.functions.environment.AZURE_FUNCTIONS_ENVIRONMENT, 'Production');
  });
});

/** A service's volume mounts as { source, target, type } (docker-compose prints "source:target:mode" strings). */
const mounts = (service) => (service.volumes ?? []).map((v) => {
  if (typeof v !== 'string') return v;
  const [source, target] = v.split(':');
  return { source, target, type: source.startsWith('/') || source.startsWith('.') ? 'bind' : 'volume' };
});

/** Every service `up` would start has every service it depends on started too (or `up` refuses to run). */
function assertDependenciesEnabled(enabled) {
  for (const [name, service] of Object.entries(enabled)) {
    for (const dependency of Object.keys(service.depends_on ?? {})) {
      assert.ok(dependency in enabled, `${name} depends on ${dependency}, which does not run with these profiles`);
    }
  }
}

describe('docker-compose.yml: SQLite by default, PostgreSQL with the postgres profile', () => {
  const postgresPassword = Buffer.from(crypto.getRandomValues(new Uint8Array(24))).toString('hex');
  // What DEPLOY.md has an operator change in .env for PostgreSQL.
  const postgresEnv = envFrom({
    RELAY_ACCESS_KEY: key,
    COMPOSE_PROFILES: 'postgres',
    DATABASE_PROVIDER: 'postgres',
    SOCIETY_DISPATCH: 'queue',
    POSTGRES_PASSWORD: postgresPassword,
  });
  let postgresResolved;
  const postgresConfig = () => (postgresResolved ??= resolvedConfig(postgresEnv));

  it('keeps the society in SQLite on a local named volume, heartbeats inline, and no postgres service', () => {
    const enabled = enabledServices(config(), activeProfiles(envText));
    assert.ok(!('postgres' in enabled), 'postgres runs only with its profile');
    assertDependenciesEnabled(enabled);
    const environment = enabled.functions.environment;
    assert.equal(environment.Database__Provider, 'sqlite');
    assert.equal(environment.Society__Dispatch, 'inline');
    const data = mounts(enabled.functions).find((m) => environment.Database__Path.startsWith(`${m.target}/`));
    assert.ok(data, `${environment.Database__Path} is on a mounted volume`);
    assert.equal(data.type, 'volume', 'a named volume, not a bind mount');
    assert.ok(data.source in config().volumes, `${data.source} is a named volume`);
  });

  it('passes docker-compose config -q with the postgres settings in .env', () => {
    const result = compose(['config', '-q'], postgresEnv);
    assert.equal(result.status, 0, result.stderr);
    assert.equal(result.stderr.trim(), '', 'no warnings');
  });

  it('runs PostgreSQL with the profile, from .env or from --profile, and nothing else', () => {
    for (const [profiles, expected] of [
      [activeProfiles(postgresEnv), 'COMPOSE_PROFILES in .env'],
      [activeProfiles(envText, ['--profile', 'postgres']), '--profile postgres'],
    ]) {
      const enabled = enabledServices(postgresConfig(), profiles);
      assert.deepEqual(Object.keys(enabled).sort(), ['azurite', 'dashboard', 'functions', 'postgres', 'relay'], expected);
      assertDependenciesEnabled(enabled);
    }
    // The flag resolves the same file docker-compose checks.
    const result = compose(['--profile', 'postgres', 'config', '-q'], postgresEnv);
    assert.equal(result.status, 0, result.stderr);
  });

  it('runs the official PostgreSQL image on a named volume, healthy when pg_isready says so, unpublished', () => {
    const { services, volumes } = postgresConfig();
    const postgres = services.postgres;
    assert.match(postgres.image, /^postgres:1[56](\.|-|$)/, 'the official postgres 15 or 16 image');
    assert.equal(postgres.healthcheck.test[1], 'pg_isready');
    assert.equal(postgres.restart, 'always');
    assert.equal(postgres.ports, undefined, 'no published port');
    const data = mounts(postgres).find((m) => m.target === '/var/lib/postgresql/data');
    assert.ok(data && data.type === 'volume' && data.source in volumes, 'the data folder is a named volume');
    assert.equal(postgres.environment.POSTGRES_PASSWORD, postgresPassword, 'the password comes from .env');
  });

  it('points the app at the postgres service with queue dispatch on Azurite', () => {
    const { services } = postgresConfig();
    const environment = services.functions.environment;
    assert.equal(environment.Database__Provider, 'postgres');
    assert.equal(environment.Society__Dispatch, 'queue');
    const connection = parseConnection(environment.Database__ConnectionString);
    const unquote = (v) => v.replace(/^"(.*)"$/, '$1');
    assert.equal(connection.host, 'postgres', 'the postgres service by its host name');
    assert.equal(connection.port, '5432');
    assert.equal(connection.database, services.postgres.environment.POSTGRES_DB);
    assert.equal(connection.username, services.postgres.environment.POSTGRES_USER);
    assert.equal(unquote(connection.password), services.postgres.environment.POSTGRES_PASSWORD);
    // The queue trigger and the enqueuer use AzureWebJobsStorage: Azurite's queue service, listening on the network.
    const storage = parseConnection(environment.AzureWebJobsStorage);
    assert.equal(new URL(storage.queueendpoint).hostname, 'azurite');
    const command = services.azurite.command;
    assert.equal(command[command.indexOf('--queueHost') + 1], '0.0.0.0');
  });

  it('keeps every named volume on a local disk: the local driver, no network mount options', () => {
    for (const [profiles, resolved] of [[activeProfiles(envText), config()], [activeProfiles(postgresEnv), postgresConfig()]]) {
      for (const [name, volume] of Object.entries(resolved.volumes)) {
        assert.ok(!volume?.driver || volume.driver === 'local', `${name}: driver ${volume?.driver}`);
        assert.equal(volume?.driver_opts, undefined, `${name}: driver options could mount a network share`);
        assert.ok(!volume?.external, `${name} is made by this project`);
      }
      for (const [service, definition] of Object.entries(enabledServices(resolved, profiles))) {
        for (const mount of mounts(definition)) assert.equal(mount.type, 'volume', `${service}: ${mount.source} is not a named volume`);
      }
    }
  });
});
