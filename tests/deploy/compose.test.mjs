// docker-compose.yml as docker-compose reads it: valid, single-instance, only the dashboard published, health
// checks and start order, Azurite by host name, one relay key on both sides, settings from .env.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compose, envFrom, randomKey, resolvedConfig } from './support/compose.mjs';

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
    assert.deepEqual(Object.keys(services).sort(), ['azurite', 'dashboard', 'functions', 'relay']);
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
