// The live path end to end: the worker commits a tick, publishes its events over REST to the relay that devhost
// mounts, and the relay delivers them to N WebSocket clients connected with the address from /api/negotiate.
// An event's timestamp is its tick's start (before the model calls and the commit), so receipt minus timestamp
// is an upper bound of commit-to-receipt. Run by bench/live.sh, which starts devhost; the society runs on its own
// timer at the fast pace while each client count listens for a while.
import WebSocket from "ws";
import { performance } from "node:perf_hooks";

const base = process.argv[2] ?? "http://localhost:7071";
const seconds = Number(process.argv[3] ?? 60);

for (const clients of [1, 50, 200]) {
  const { url } = await (await fetch(`${base}/api/negotiate`)).json();
  const delays = [];
  const sockets = await Promise.all(Array.from({ length: clients }, () => open(url, delays)));
  await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
  for (const socket of sockets) socket.close();
  delays.sort((a, b) => a - b);
  const at = (p) => delays[Math.min(delays.length - 1, Math.ceil(p * delays.length) - 1)] ?? NaN;
  console.log(`${String(clients).padStart(3)} clients: ${delays.length} deliveries in ${seconds} s; tick start to receipt p50 ${at(0.5).toFixed(1)} ms, p99 ${at(0.99).toFixed(1)} ms`);
}

function open(url, delays) {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, "json.webpubsub.azure.v1");
    socket.on("message", (raw) => {
      const message = JSON.parse(raw.toString());
      if (message.type === "message" && message.data?.type === "heartbeat_complete") {
        // Wall clock on both sides (same machine): the event's timestamp comes from the server's TimeProvider.System.
        delays.push(performance.timeOrigin + performance.now() - Date.parse(message.data.timestamp));
      }
    });
    socket.once("open", () => resolve(socket));
    socket.once("error", reject);
  });
}
