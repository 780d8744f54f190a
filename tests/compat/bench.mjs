// Relay benchmark: delivery latency (p50/p99) at 1, 50 and 200 clients, delivered messages per second, and the
// relay's memory per 1,000 idle connections. Run after building the relay: `npm run bench`.
// Figures include the REST call that sends each message (token signing, HTTP) and this process's own event loop,
// which also receives every delivery: they describe the whole path on this machine, not the relay alone.
import { readFileSync } from "node:fs";
import { performance } from "node:perf_hooks";
import WebSocket from "ws";
import { startRelay, clientUrl, rest, delay } from "./support/relay.mjs";

// Memory first, on fresh relays: a heap grown by the other runs would hide what idle connections cost. RSS also
// counts garbage not yet collected, which server GC (ASP.NET Core's default) lets grow further than workstation GC.
let relay;
for (const [gc, serverGc] of [["server GC", "1"], ["workstation GC", "0"]]) {
  process.env.DOTNET_gcServer = serverGc;
  relay = await startRelay({ MaxConnections: 5000 });
  try {
    const memory = await idleMemory(2000);
    console.log(`memory (${gc}): ${memory.perThousand.toFixed(1)} MB of relay RSS per 1,000 idle connections; ${memory.total.toFixed(0)} MB in all with 2,000 (target < 200 MiB)`);
  } finally {
    await relay.stop();
  }
}
delete process.env.DOTNET_gcServer;

relay = await startRelay({ MaxConnections: 5000 });
try {
  for (const clients of [1, 50, 200]) {
    const result = await latency(clients, 200);
    console.log(`latency  ${String(clients).padStart(3)} clients: p50 ${result.p50.toFixed(2)} ms, p99 ${result.p99.toFixed(2)} ms (${result.samples} deliveries)`);
  }

  const rate = await throughput(50, 2000, 16);
  console.log(`throughput 50 clients: ${Math.round(rate.sends)} sends/s, ${Math.round(rate.deliveries)} deliveries/s`);
} finally {
  await relay.stop();
}

/** Opens reliable clients that acknowledge sequence ids as a real client would, so buffers do not fill. */
async function openClients(count, onData) {
  const url = clientUrl(relay, { userId: "bench" });
  const sockets = [];
  for (let i = 0; i < count; i++) {
    const socket = new WebSocket(url, "json.reliable.webpubsub.azure.v1");
    socket.on("message", (raw) => {
      const message = JSON.parse(raw.toString());
      if (message.type !== "message") return;
      onData?.(message);
      if (message.sequenceId % 50 === 0) {
        socket.send(JSON.stringify({ type: "sequenceAck", sequenceId: message.sequenceId }));
      }
    });
    sockets.push(new Promise((resolve, reject) => socket.once("open", () => resolve(socket)).once("error", reject)));
  }
  return Promise.all(sockets);
}

function closeAll(sockets) {
  for (const socket of sockets) socket.close();
}

async function latency(clientCount, messages) {
  const samples = [];
  const sockets = await openClients(clientCount, (m) => samples.push(performance.now() - m.data.t));
  await delay(200);
  for (let i = 0; i < messages; i++) {
    await rest(relay, "POST", "/api/hubs/chat/:send", { body: JSON.stringify({ t: performance.now() }), contentType: "application/json" });
    await delay(5);
  }
  await waitUntil(() => samples.length >= clientCount * messages);
  closeAll(sockets);
  samples.sort((a, b) => a - b);
  const at = (q) => samples[Math.min(samples.length - 1, Math.floor(q * samples.length))];
  return { p50: at(0.5), p99: at(0.99), samples: samples.length };
}

async function throughput(clientCount, messages, inFlight) {
  let delivered = 0;
  const sockets = await openClients(clientCount, () => delivered++);
  await delay(200);
  const started = performance.now();
  let next = 0;
  const body = JSON.stringify({ payload: "x".repeat(200) });
  await Promise.all(Array.from({ length: inFlight }, async () => {
    while (next < messages) {
      next++;
      await rest(relay, "POST", "/api/hubs/chat/:send", { body, contentType: "application/json" });
    }
  }));
  const sent = performance.now();
  await waitUntil(() => delivered >= clientCount * messages);
  const seconds = (performance.now() - started) / 1000;
  closeAll(sockets);
  return { sends: messages / ((sent - started) / 1000), deliveries: delivered / seconds };
}

async function idleMemory(count) {
  await delay(1000);
  const before = rssMegabytes();
  const sockets = [];
  for (let i = 0; i < count; i += 100) {
    sockets.push(...(await openClients(Math.min(100, count - i))));
  }
  await delay(2000);
  const after = rssMegabytes();
  closeAll(sockets);
  return { perThousand: ((after - before) * 1000) / count, total: after };
}

function rssMegabytes() {
  const status = readFileSync(`/proc/${relay.pid}/status`, "utf8");
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)[1]) / 1024;
}

async function waitUntil(predicate, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error("the benchmark timed out waiting for deliveries");
    await delay(10);
  }
}
