// Every Bicep file under infra-optional/ builds and lints clean with the Bicep CLI (run.sh fetches it from NuGet and
// names it in BICEP). Bicep exits 0 on warnings, so any diagnostic line in its output fails the check. The built
// template must hold the resources the deploy relies on, and its values, evaluated as Resource Manager would with the
// parameters' defaults, must be those of the PostgreSQL and queue-dispatch deploy.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { Opaque, evaluator, parseConnectionString, resources } from './support/arm.mjs';
import { repo } from './support/compose.mjs';

const bicep = process.env.BICEP;
const infra = path.join(repo, 'infra-optional');
const files = readdirSync(infra, { recursive: true }).filter((f) => f.endsWith('.bicep')).map((f) => path.join(infra, f));
// "main.bicep(12,5) : Warning no-unused-params: …" and the like.
const diagnostic = /\(\d+,\d+\)\s*:\s*(Error|Warning|Info)/;

function run(args) {
  assert.ok(bicep, 'BICEP names the Bicep CLI (tests/deploy/run.sh sets it)');
  const result = spawnSync(bicep, args, { encoding: 'utf8', env: { ...process.env, BICEP_TRACING_ENABLED: 'false' } });
  if (result.error) throw result.error;
  return result;
}

// A build is a .NET CLI start and a compile: the resource check reads the build its file's own test made.
const builds = new Map();
const build = (file) => builds.get(file) ?? builds.set(file, run(['build', file, '--stdout'])).get(file);

function assertClean(result, what) {
  const lines = `${result.stderr}\n${what === 'build' ? '' : result.stdout}`.split('\n').filter((l) => diagnostic.test(l));
  assert.deepEqual(lines, [], `${what} reported diagnostics`);
  assert.equal(result.status, 0, `${what} exited ${result.status}: ${result.stderr}`);
}

describe('infra-optional Bicep', () => {
  it('has Bicep files', () => assert.ok(files.length > 0, 'no .bicep file under infra-optional/'));

  for (const file of files) {
    const name = path.relative(repo, file);
    it(`builds ${name} without a diagnostic`, () => assertClean(build(file), 'build'));
    it(`lints ${name} without a diagnostic`, () => assertClean(run(['lint', file]), 'lint'));
  }

  it('declares the resources the deploy needs', () => {
    const result = build(path.join(infra, 'main.bicep'));
    assert.equal(result.status, 0, result.stderr);
    const all = resources(JSON.parse(result.stdout));
    const types = new Set(all.map((r) => r.type));
    for (const type of [
      'Microsoft.OperationalInsights/workspaces',
      'Microsoft.Insights/components',
      'Microsoft.Storage/storageAccounts',
      'Microsoft.Web/serverfarms',
      'Microsoft.Web/sites',
      'Microsoft.SignalRService/webPubSub',
      'Microsoft.SignalRService/webPubSub/hubs',
      'Microsoft.Web/staticSites',
      'Microsoft.Web/staticSites/linkedBackends',
      'Microsoft.DBforPostgreSQL/flexibleServers',
      'Microsoft.DBforPostgreSQL/flexibleServers/databases',
      'Microsoft.DBforPostgreSQL/flexibleServers/firewallRules',
      'Microsoft.Storage/storageAccounts/queueServices/queues',
    ]) {
      assert.ok(types.has(type), `no ${type} in main.bicep`);
    }
    const site = all.find((r) => r.type === 'Microsoft.Web/sites');
    assert.match(JSON.stringify(site.properties), /DOTNET-ISOLATED\|10\.0/i, 'the Function App runs dotnet-isolated 10.0');
    assert.equal(all.find((r) => r.type === 'Microsoft.Web/staticSites').sku.name, 'Standard', 'linked backends need the Standard plan');
  });
});

// A password with what would break a naive connection string: ';' ends a value, '"' ends a quoted one.
const password = 'Pa;ss"w0rd=x';

/** main.bicep compiled and evaluated with the defaults and `parameters`; helpers to read its resources and settings. */
function deployment(parameters = {}) {
  const result = build(path.join(infra, 'main.bicep'));
  assert.equal(result.status, 0, result.stderr);
  const template = JSON.parse(result.stdout);
  const value = evaluator(template, { postgresAdminPassword: password, ...parameters });
  const all = resources(template).map((r) => ({ raw: r, type: r.type, name: value(r.name), properties: value(r.properties ?? {}), sku: value(r.sku), dependsOn: r.dependsOn ?? [] }));
  const ofType = (type) => all.filter((r) => r.type === type);
  const one = (type) => {
    const found = ofType(type);
    assert.equal(found.length, 1, `one ${type}`);
    return found[0];
  };
  const site = one('Microsoft.Web/sites');
  const settings = Object.fromEntries(site.properties.siteConfig.appSettings.map((s) => [s.name, s.value]));
  return { template, value, all, ofType, one, site, settings };
}

/** The last segment of a child resource's name ("account/default/heartbeats" → "heartbeats"). */
const leaf = (name) => String(name).split('/').at(-1);
/** The dependsOn entries that name a resource of `type` (ARM writes them as resourceId('type', …)). */
const dependsOnType = (resource, type) => resource.dependsOn.some((d) => d.startsWith(`[resourceId('${type}',`));

describe('main.bicep: PostgreSQL and queue dispatch', () => {
  it('keeps the society in a PostgreSQL flexible server with a botsociety database', () => {
    const { one, template } = deployment();
    const server = one('Microsoft.DBforPostgreSQL/flexibleServers');
    assert.ok(['15', '16'].includes(server.properties.version), `PostgreSQL ${server.properties.version}`);
    assert.deepEqual(server.sku, { name: 'Standard_B2s', tier: 'Burstable' });
    assert.equal(server.properties.administratorLoginPassword, password, "the administrator's password is the parameter's");
    const declared = template.parameters.postgresAdminPassword;
    assert.equal(declared.type, 'securestring');
    assert.ok(!('defaultValue' in declared), 'the password has no default');
    assert.equal(server.properties.highAvailability.mode, 'Disabled');
    assert.equal(leaf(one('Microsoft.DBforPostgreSQL/flexibleServers/databases').name), 'botsociety');
    // A General Purpose size gets its tier too.
    assert.equal(deployment({ postgresSku: 'Standard_D2ds_v5' }).one('Microsoft.DBforPostgreSQL/flexibleServers').sku.tier, 'GeneralPurpose');
  });

  it('lets Azure services through the firewall, requires TLS, and changes the server one step at a time', () => {
    const { one } = deployment();
    const rule = one('Microsoft.DBforPostgreSQL/flexibleServers/firewallRules');
    assert.deepEqual([rule.properties.startIpAddress, rule.properties.endIpAddress], ['0.0.0.0', '0.0.0.0']);
    const tls = one('Microsoft.DBforPostgreSQL/flexibleServers/configurations');
    assert.equal(leaf(tls.name), 'require_secure_transport');
    assert.equal(tls.properties.value.toLowerCase(), 'on');
    // The server takes one change at a time: database, then firewall rule, then the setting.
    assert.ok(dependsOnType(rule, 'Microsoft.DBforPostgreSQL/flexibleServers/databases'), 'the firewall rule waits for the database');
    assert.ok(dependsOnType(tls, 'Microsoft.DBforPostgreSQL/flexibleServers/firewallRules'), 'the TLS setting waits for the firewall rule');
  });

  it("creates the heartbeats queue and its poison queue in the app's AzureWebJobsStorage account", () => {
    const { ofType, settings } = deployment();
    const queues = ofType('Microsoft.Storage/storageAccounts/queueServices/queues');
    assert.deepEqual(queues.map((q) => leaf(q.name)).sort(), ['heartbeats', 'heartbeats-poison']);
    const account = parseConnectionString(String(settings.AzureWebJobsStorage)).accountname;
    assert.ok(account, 'AzureWebJobsStorage names an account');
    for (const queue of queues) assert.equal(String(queue.name).split('/')[0], account, `${leaf(queue.name)} is in ${account}`);
  });

  it('points the app at PostgreSQL with queue dispatch, over TLS, with any password', () => {
    const { settings, one } = deployment();
    assert.equal(settings.Database__Provider, 'postgres');
    assert.equal(settings.Society__Dispatch, 'queue');
    assert.equal(settings.Database__Path, undefined, 'no SQLite file');
    const connection = parseConnectionString(settings.Database__ConnectionString);
    assert.match(connection.host, /^<reference\(<resourceId\(Microsoft\.DBforPostgreSQL\/flexibleServers\)>, [^)]*\)\.fullyQualifiedDomainName>$/, 'Host is the server\'s FQDN');
    assert.equal(connection.port, '5432');
    assert.equal(connection.database, leaf(one('Microsoft.DBforPostgreSQL/flexibleServers/databases').name));
    assert.equal(connection.username, one('Microsoft.DBforPostgreSQL/flexibleServers').properties.administratorLogin);
    assert.equal(connection.password, password, 'the password survives ; and " intact');
    assert.equal(connection['ssl mode'], 'Require');
  });

  it("never lets a full scale-out take more connections than the server's SKU has", () => {
    const { template } = deployment();
    const users = template.variables.postgresUserConnections;
    const { minValue, maxValue } = template.parameters.maximumInstances;
    for (const sku of template.parameters.postgresSku.allowedValues) {
      assert.ok(users[sku] > 0, `user connections of ${sku} are known`);
      for (let instances = minValue; instances <= maxValue; instances++) {
        const { settings } = deployment({ postgresSku: sku, maximumInstances: instances });
        const pool = Number(parseConnectionString(settings.Database__ConnectionString)['maximum pool size']);
        assert.ok(pool >= 1 && pool * instances <= users[sku], `${sku}, ${instances} instances: pool ${pool}`);
      }
    }
  });

  it('mounts no file share for the database: the only share is the plan\'s content share', () => {
    const { all, ofType, site, settings } = deployment();
    assert.ok(!all.some((r) => r.type === 'Microsoft.Web/sites/config' && leaf(r.name) === 'azurestorageaccounts'), 'no storage mount');
    assert.equal(site.properties.siteConfig.azureStorageAccounts, undefined, 'no storage mount in siteConfig');
    const shares = ofType('Microsoft.Storage/storageAccounts/fileServices/shares').map((s) => leaf(s.name));
    assert.deepEqual(shares, [String(settings.WEBSITE_CONTENTSHARE)]);
    assert.ok(!Object.values(settings).some((v) => /\/mounts\//.test(String(v))), 'no setting points into a mount');
  });

  it('lets the app scale out on Elastic Premium, one instance always ready', () => {
    const { one, site } = deployment();
    const plan = one('Microsoft.Web/serverfarms');
    assert.equal(plan.sku.tier, 'ElasticPremium');
    assert.ok(plan.properties.maximumElasticWorkerCount > 1, `plan burst ${plan.properties.maximumElasticWorkerCount}`);
    assert.equal(site.properties.siteConfig.functionAppScaleLimit, plan.properties.maximumElasticWorkerCount);
    assert.equal(site.properties.siteConfig.minimumElasticInstanceCount, 1);
  });

  it('puts no password or key in an output', () => {
    const { template, value } = deployment();
    for (const [name, output] of Object.entries(template.outputs)) {
      const v = value(output.value);
      assert.ok(!String(v).includes(password), `${name} holds the password`);
      assert.ok(!(v instanceof Opaque && /listKeys/i.test(v.text)), `${name} holds a key`);
    }
  });
});
