// What can be checked of the images without building them: every file a Dockerfile copies exists in the build
// context and is not ignored, the images are the ones the deploy names, the nginx template's variables all have
// values in its image, and the ports the images listen on are the ones the compose file talks to.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { envFrom, randomKey, repo, resolvedConfig } from './support/compose.mjs';

const { services } = resolvedConfig(envFrom({ RELAY_ACCESS_KEY: randomKey() }));
const built = Object.entries(services).filter(([, s]) => s.build);

/** Instructions of a Dockerfile, continuation lines joined, comments dropped, split into stages. */
function parseDockerfile(file) {
  const lines = readFileSync(file, 'utf8').replace(/\\\n/g, ' ').split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('#'));
  const stages = [];
  for (const line of lines) {
    const [instruction, ...rest] = line.split(/\s+/);
    if (instruction.toUpperCase() === 'FROM') stages.push({ from: rest[0], instructions: [] });
    stages.at(-1)?.instructions.push({ instruction: instruction.toUpperCase(), args: rest.join(' ') });
  }
  return stages;
}

/** ENV names and values of a stage (the KEY=value form). */
function envOf(stage) {
  const env = {};
  for (const { args } of stage.instructions.filter((i) => i.instruction === 'ENV')) {
    for (const [, name, value] of args.matchAll(/([A-Za-z_][A-Za-z0-9_]*)=("[^"]*"|\S*)/g)) env[name] = value.replace(/^"|"$/g, '');
  }
  return env;
}

const ignorePatterns = readFileSync(path.join(repo, '.dockerignore'), 'utf8').split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('#'));
const ignored = (relative) => ignorePatterns.some((pattern) => {
  const bare = pattern.replace(/^\*\*\//, '').replace(/\/$/, '');
  return relative === bare || relative.startsWith(`${bare}/`) || relative.split('/').includes(bare.replace(/^\*\*\//, ''));
});

describe('Dockerfiles', () => {
  it('exist for every built service, with the repository root as context', () => {
    assert.deepEqual(built.map(([name]) => name).sort(), ['dashboard', 'functions', 'relay']);
    for (const [name, service] of built) {
      assert.equal(path.resolve(service.build.context), repo, `${name} builds from the repository root`);
      assert.ok(existsSync(path.resolve(service.build.context, service.build.dockerfile)), `${name}: ${service.build.dockerfile}`);
    }
  });

  it('copy only files that exist in the context and are not ignored', () => {
    for (const [name, service] of built) {
      for (const stage of parseDockerfile(path.resolve(service.build.context, service.build.dockerfile))) {
        for (const { args } of stage.instructions.filter((i) => i.instruction === 'COPY' && !/--from=/.test(i.args))) {
          const sources = args.split(/\s+/).filter((a) => !a.startsWith('--')).slice(0, -1);
          for (const source of sources) {
            const relative = source.replace(/\/$/, '');
            assert.ok(existsSync(path.join(repo, relative)), `${name}: COPY ${source} does not exist`);
            assert.ok(!ignored(relative), `${name}: COPY ${source} is excluded by .dockerignore`);
          }
        }
      }
    }
  });

  it('keep build outputs, packages, local data and secrets out of the context', () => {
    for (const path of ['functions/bin', 'shared/obj', 'static-web/node_modules', 'static-web/dist', '.test-results', 'data', 'functions/local.settings.json', '.env']) {
      assert.ok(ignored(path), `.dockerignore lets ${path} in`);
    }
  });

  it('run the Functions app on the official isolated .NET 10 host image, not as root, with console logs', () => {
    const stages = parseDockerfile(path.join(repo, 'functions/Dockerfile'));
    const runtime = stages.at(-1);
    assert.equal(runtime.from, 'mcr.microsoft.com/azure-functions/dotnet-isolated:4-dotnet-isolated10.0');
    assert.match(stages[0].from, /^mcr\.microsoft\.com\/dotnet\/sdk:10\.0/);
    const env = envOf(runtime);
    assert.equal(env.AzureWebJobsScriptRoot, '/home/site/wwwroot');
    assert.equal(env.AzureFunctionsJobHost__Logging__Console__IsEnabled, 'true');
    const user = runtime.instructions.filter((i) => i.instruction === 'USER').at(-1)?.args;
    assert.ok(user && !/^(root|0)$/.test(user), `the host runs as ${user ?? 'root'}`);
    // The port it listens on is the one the dashboard proxies to and the health check asks.
    const port = new URL(env.ASPNETCORE_URLS.replace('+', 'host')).port;
    assert.equal(services.dashboard.environment.FUNCTIONS_UPSTREAM, `functions:${port}`);
    assert.match(services.functions.healthcheck.test.join(' '), new RegExp(`/dev/tcp/127\\.0\\.0\\.1/${port}\\b`));
  });

  it('run the relay on the ASP.NET runtime image as its non-root user', () => {
    const runtime = parseDockerfile(path.join(repo, 'relay/Dockerfile')).at(-1);
    assert.match(runtime.from, /^mcr\.microsoft\.com\/dotnet\/aspnet:10\.0/);
    assert.equal(runtime.instructions.filter((i) => i.instruction === 'USER').at(-1)?.args, '$APP_UID');
  });

  it("give the nginx template a value for every variable it uses, so the image's envsubst replaces them all", () => {
    const stages = parseDockerfile(path.join(repo, 'static-web/Dockerfile'));
    const runtime = stages.at(-1);
    assert.match(stages[0].from, /^node:/);
    assert.match(runtime.from, /nginx/);
    const template = readFileSync(path.join(repo, 'static-web/nginx/default.conf.template'), 'utf8');
    const used = [...new Set([...template.matchAll(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g)].map((m) => m[1]))];
    assert.ok(used.length > 0);
    const env = { ...envOf(runtime), ...services.dashboard.environment };
    for (const name of used) assert.ok(name in env, `\${${name}} has no value in static-web/Dockerfile or the compose file`);
    assert.ok(runtime.instructions.some((i) => i.instruction === 'COPY' && i.args.includes('/etc/nginx/templates/')), 'the template goes where the image renders templates');
  });
});
