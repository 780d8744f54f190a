// Official clients wired to a relay, with the events the tests look at recorded in order.
import { WebPubSubServiceClient } from "@azure/web-pubsub";
import { WebPubSubClient } from "@azure/web-pubsub-client";
import { waitFor } from "./relay.mjs";

export function serviceClient(relay, hub = "chat", connectionString = relay.connectionString) {
  // The relay speaks plain HTTP in tests; the SDK refuses that unless told (rule book §1.1).
  return new WebPubSubServiceClient(connectionString, hub, { allowInsecureConnection: true });
}

/** Starts a client from a URL the server SDK made, and records what it emits. */
export async function startClient(service, tokenOptions = {}, clientOptions = {}) {
  const { url } = await service.getClientAccessToken(tokenOptions);
  return startClientAt(url, clientOptions);
}

export async function startClientAt(url, clientOptions = {}) {
  // The client's keepalive monitor wakes every keepAliveTimeoutInMs / 3 (40 s by default) and is not cancelled by
  // stop(), which keeps node alive that long after a suite ends. A shorter timeout, with pings often enough to
  // stay well inside it, keeps the suite quick and exercises ping/pong on every connection.
  const client = new WebPubSubClient(url, { keepAliveIntervalInMs: 1000, keepAliveTimeoutInMs: 6000, ...clientOptions });
  // "data" holds server and group messages together, in the order the client emitted them.
  const seen = { connected: [], disconnected: [], server: [], group: [], data: [], stopped: 0 };
  client.on("connected", (e) => seen.connected.push(e));
  client.on("disconnected", (e) => seen.disconnected.push(e));
  client.on("server-message", (e) => {
    seen.server.push(e.message);
    seen.data.push(e.message);
  });
  client.on("group-message", (e) => {
    seen.group.push(e.message);
    seen.data.push(e.message);
  });
  client.on("stopped", () => seen.stopped++);
  await client.start();
  await waitFor(() => seen.connected.length > 0, "the connected event");
  return { client, seen, connectionId: () => seen.connected.at(-1).connectionId };
}
