// Starts the built relay as its own process on a free port, the way a deployment would run it, and gives the
// tests what they need around it: its connection string, its log, and HS256 tokens signed like the SDK's.
import { spawn } from "node:child_process";
import { createHmac } from "node:crypto";
import { createServer } from "node:net";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

export const accessKey = "compat-suite-access-key-0123456789abcdefABCDEF=";

const defaultDll = fileURLToPath(new URL("../../../relay/bin/Release/net10.0/BotSociety.Relay.dll", import.meta.url));

export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** Settings go in as environment variables (Relay__MaxMessageSizeBytes=…), as an operator would set them. */
export async function startRelay(settings = {}) {
  const dll = process.env.RELAY_DLL ?? defaultDll;
  if (!existsSync(dll)) {
    throw new Error(`The relay is not built: ${dll} (run dotnet build relay/BotSociety.Relay.csproj -c Release)`);
  }

  const port = await freePort();
  const endpoint = `http://127.0.0.1:${port}`;
  const connectionString = `Endpoint=http://127.0.0.1;Port=${port};AccessKey=${accessKey};Version=1.0;`;
  const env = {
    ...process.env,
    ASPNETCORE_URLS: endpoint,
    Relay__ConnectionString: connectionString,
    Relay__EnableTestEndpoints: "true",
    Logging__LogLevel__Default: "Information",
    Logging__LogLevel__Microsoft: "Warning",
    Logging__Console__FormatterName: "simple",
    Logging__Console__FormatterOptions__SingleLine: "true",
  };
  for (const [key, value] of Object.entries(settings)) {
    env[`Relay__${key}`] = String(value);
  }

  const child = spawn("dotnet", [dll], { env, stdio: ["ignore", "pipe", "pipe"] });
  let log = "";
  child.stdout.on("data", (chunk) => (log += chunk));
  child.stderr.on("data", (chunk) => (log += chunk));
  let exited = false;
  child.on("exit", () => (exited = true));

  const deadline = Date.now() + 30_000;
  while (true) {
    if (exited) {
      throw new Error(`The relay exited at start:\n${log}`);
    }
    try {
      const response = await fetch(`${endpoint}/api/health`);
      if (response.status === 200) {
        break;
      }
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      process.kill(child.pid);
      throw new Error(`The relay did not answer /api/health within 30 s:\n${log}`);
    }
    await delay(100);
  }

  return {
    endpoint,
    connectionString,
    pid: child.pid,
    log: () => log,
    async stop() {
      if (!exited) {
        const gone = new Promise((resolve) => child.once("exit", resolve));
        process.kill(child.pid);
        await gone;
      }
    },
  };
}

export function delay(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export async function waitFor(predicate, what, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await predicate())) {
    if (Date.now() > deadline) {
      throw new Error(`Timed out waiting for ${what}`);
    }
    await delay(20);
  }
}

/** An HS256 JWT like the SDK's: header {"alg":"HS256","typ":"JWT"}, the key's UTF-8 bytes, no kid. */
export function signToken(payload, key = accessKey) {
  const encode = (value) => Buffer.from(JSON.stringify(value)).toString("base64url");
  const unsigned = `${encode({ alg: "HS256", typ: "JWT" })}.${encode(payload)}`;
  const signature = createHmac("sha256", Buffer.from(key, "utf8")).update(unsigned).digest("base64url");
  return `${unsigned}.${signature}`;
}

export function clientToken(relay, { hub = "chat", aud, exp, key, userId, roles } = {}) {
  const iat = Math.floor(Date.now() / 1000);
  const payload = { iat, exp: exp ?? iat + 3600, aud: aud ?? `${relay.endpoint}/client/hubs/${hub}` };
  if (userId) payload.sub = userId;
  if (roles) payload.role = roles;
  return signToken(payload, key);
}

export function clientUrl(relay, options = {}) {
  const hub = options.hub ?? "chat";
  return `${relay.endpoint.replace("http", "ws")}/client/hubs/${hub}?access_token=${clientToken(relay, options)}`;
}

/** A data-plane call outside the SDK, for raw statuses and the test-only drop. */
export async function rest(relay, method, pathAndQuery, { body, contentType, key } = {}) {
  const separator = pathAndQuery.includes("?") ? "&" : "?";
  const url = `${relay.endpoint}${pathAndQuery}${separator}api-version=2024-12-01`;
  const iat = Math.floor(Date.now() / 1000);
  const headers = { Authorization: `Bearer ${signToken({ iat, exp: iat + 3600, aud: url }, key)}` };
  if (contentType) headers["Content-Type"] = contentType;
  return fetch(url, { method, headers, body });
}

/** Drops a connection's socket without a close frame (Relay:EnableTestEndpoints). */
export async function dropConnection(relay, hub, connectionId) {
  const response = await rest(relay, "POST", `/api/hubs/${hub}/connections/${encodeURIComponent(connectionId)}/:drop`);
  if (response.status !== 204) {
    throw new Error(`drop answered ${response.status}`);
  }
}
