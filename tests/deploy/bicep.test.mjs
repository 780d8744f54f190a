// Every Bicep file under infra-optional/ builds and lints clean with the Bicep CLI (run.sh fetches it from NuGet and
// names it in BICEP). Bicep exits 0 on warnings, so any diagnostic line in its output fails the check. The built
// template must hold the resources the deploy relies on.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
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

/** Every resource of a compiled template, nested deployments (modules) included. */
function resources(template) {
  const all = [];
  const visit = (node) => {
    if (Array.isArray(node)) return node.forEach(visit);
    if (!node || typeof node !== 'object') return;
    if (typeof node.type === 'string' && node.apiVersion) all.push(node);
    Object.values(node).forEach(visit);
  };
  visit(template.resources);
  return all;
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
    ]) {
      assert.ok(types.has(type), `no ${type} in main.bicep`);
    }
    const site = all.find((r) => r.type === 'Microsoft.Web/sites');
    assert.match(JSON.stringify(site.properties), /DOTNET-ISOLATED\|10\.0/i, 'the Function App runs dotnet-isolated 10.0');
    assert.equal(all.find((r) => r.type === 'Microsoft.Web/staticSites').sku.name, 'Standard', 'linked backends need the Standard plan');
  });
});
