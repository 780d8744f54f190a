// What the relay refuses, and how: bad tokens and unknown hubs with an HTTP status before the upgrade (so the
// client does not reconnect in a hot loop), oversized and garbage frames with the rule book's close codes.
import { describe, it, before, after } from "node:test";
import assert from "node:assert/strict";
import { WebPubSubClient } from "@azure/web-pubsub-client";
import WebSocket from "ws";
import { startRelay, waitFor, clientUrl, rest } from "../support/relay.mjs";
import { serviceClient, startClient } from "../support/clients.mjs";

const maxMessageSize = 8192;
let relay;
let service;
const clients = [];

before(async () => {
  relay = await startRelay({ Hubs__0: "chat", MaxMessageSizeBytes: maxMessageSize });
  service = serviceClient(relay);
});

after(async () => {
  for (const client of clients) client.stop();
  await relay?.stop();
});

async function refusal(url) {
  const client = new WebPubSubClient(url, { autoReconnect: false, keepAliveIntervalInMs: 1000, keepAliveTimeoutInMs: 6000 });
  clients.push(client);
  return assert.rejects(client.start(), /Unexpected server response: (\d+)/).then(() => client);
}

function rawSocket(url, protocol = "json.reliable.webpubsub.azure.v1") {
  const socket = new WebSocket(url, protocol);
  const seen = { messages: [], close: null, unexpected: null };
  socket.on("message", (data, isBinary) => seen.messages.push(isBinary ? data : JSON.parse(data.toString())));
  socket.on("close", (code) => (seen.close = code));
  socket.on("unexpected-response", (_, response) => (seen.unexpected = response.statusCode));
  socket.on("error", () => {});
  return { socket, seen, open: new Promise((resolve) => socket.once("open", resolve)) };
}

async function statusOf(url) {
  const { seen } = rawSocket(url);
  await waitFor(() => seen.unexpected !== null || seen.close !== null, "the refusal");
  return seen.unexpected;
}

describe("tokens and hubs", () => {
  it("an expired token is refused with 401", async () => {
    const url = clientUrl(relay, { exp: Math.floor(Date.now() / 1000) - 3600 });
    await refusal(url);
    assert.equal(await statusOf(url), 401);
  });

  it("a token for another audience is refused with 401", async () => {
    assert.equal(await statusOf(clientUrl(relay, { aud: "http://elsewhere.example/client/hubs/chat" })), 401);
    assert.equal(await statusOf(clientUrl(relay, { aud: `${relay.endpoint}/client/hubs/lobby` })), 401);
  });

  it("a token signed with another key is refused with 401, by the client and by REST", async () => {
    const wrongKey = relay.connectionString.replace(/AccessKey=[^;]+/, "AccessKey=another-key-of-enough-length-0123456789=");
    const impostor = serviceClient(relay, "chat", wrongKey);
    const { url } = await impostor.getClientAccessToken();
    await refusal(url);
    assert.equal(await statusOf(url), 401);
    await assert.rejects(impostor.sendToAll({ a: 1 }), (e) => e.statusCode === 401);
  });

  it("an unknown hub is refused with 404, by the client and by REST", async () => {
    const elsewhere = serviceClient(relay, "lobby");
    const { url } = await elsewhere.getClientAccessToken();
    assert.equal(await statusOf(url), 404);
    await assert.rejects(elsewhere.sendToAll({ a: 1 }), (e) => e.statusCode === 404);
  });

  it("a REST call without a token is refused with 401", async () => {
    const response = await fetch(`${relay.endpoint}/api/hubs/chat/:send?api-version=2024-12-01`, { method: "POST", body: "x", headers: { "Content-Type": "text/plain" } });
    assert.equal(response.status, 401);
  });
});

describe("limits and garbage", () => {
  it("an oversized client message closes the socket with 1009", async () => {
    const { socket, seen, open } = rawSocket(clientUrl(relay));
    await open;
    socket.send(JSON.stringify({ type: "event", event: "big", dataType: "text", data: "x".repeat(maxMessageSize * 2) }));
    await waitFor(() => seen.close !== null, "the close");
    assert.equal(seen.close, 1009);
    assert.equal(seen.messages.at(-1).event, "disconnected");
  });

  it("an oversized message from the official client ends that connection, and the client starts a new one", async () => {
    // Without retries: the client would otherwise resend the message on each new connection (rule book §4.5).
    const one = await startClient(service, { userId: "big" }, { messageRetryOptions: { maxRetries: 0 } });
    clients.push(one.client);
    const first = one.connectionId();
    await assert.rejects(one.client.sendEvent("big", "x".repeat(maxMessageSize * 2), "text", { fireAndForget: false }));
    await waitFor(() => one.seen.connected.length === 2, "the new connection");
    assert.notEqual(one.connectionId(), first);
    assert.equal(one.seen.disconnected.length, 1);
  });

  it("an oversized REST body is refused with 413", async () => {
    await assert.rejects(service.sendToAll("x".repeat(maxMessageSize * 2), { contentType: "text/plain" }), (e) => e.statusCode === 413);
  });

  for (const [what, frame, code] of [
    ["text that is not JSON", "garbage", 1007],
    ["a JSON array", "[1,2]", 1007],
    ["an unknown type", JSON.stringify({ type: "teleport" }), 1007],
    ["a binary frame", Buffer.from([0, 1, 2]), 1003],
  ]) {
    it(`${what} closes the socket with ${code}`, async () => {
      const { socket, seen, open } = rawSocket(clientUrl(relay));
      await open;
      socket.send(frame);
      await waitFor(() => seen.close !== null, "the close");
      assert.equal(seen.close, code);
    });
  }

  it("a plain WebSocket client gets bare payloads and its frames are ignored", async () => {
    const { socket, seen, open } = rawSocket(clientUrl(relay), []);
    await open;
    socket.send("hello relay");
    await waitFor(async () => (await rest(relay, "HEAD", "/api/hubs/chat/users/nobody")).status === 404, "the relay");
    await service.sendToAll({ plain: true });
    await service.sendToAll(new Uint8Array([5, 6]).buffer);
    await waitFor(() => seen.messages.length === 2, "two payloads");
    assert.deepEqual(seen.messages[0], { plain: true });
    assert.deepEqual([...seen.messages[1]], [5, 6]);
    assert.equal(seen.close, null);
    socket.close();
  });
});
