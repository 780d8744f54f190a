// The official client (@azure/web-pubsub-client 1.1.0) against the relay: connect, groups with acks, duplicate
// ack ids and keepalive pings, on both JSON subprotocols.
import { describe, it, before, after } from "node:test";
import assert from "node:assert/strict";
import { WebPubSubJsonProtocol, WebPubSubJsonReliableProtocol } from "@azure/web-pubsub-client";
import WebSocket from "ws";
import { startRelay, waitFor, delay, clientUrl } from "../support/relay.mjs";
import { serviceClient, startClient } from "../support/clients.mjs";

let relay;
let service;
const clients = [];

before(async () => {
  relay = await startRelay({ Hubs__0: "chat" });
  service = serviceClient(relay);
});

after(async () => {
  for (const { client } of clients) client.stop();
  await relay?.stop();
});

const groupRoles = ["webpubsub.joinLeaveGroup", "webpubsub.sendToGroup"];

async function connect(userId, roles = groupRoles, clientOptions = {}) {
  const started = await startClient(service, { userId, roles }, clientOptions);
  clients.push(started);
  return started;
}

for (const [name, protocol] of [["reliable", WebPubSubJsonReliableProtocol], ["json", WebPubSubJsonProtocol]]) {
  describe(`${name} subprotocol`, () => {
    it("connects and reports its connection id and user id", async () => {
      const one = await connect(`${name}-one`, groupRoles, { protocol: protocol() });
      assert.match(one.connectionId(), /\S+/);
      assert.equal(one.seen.connected[0].userId, `${name}-one`);
      assert.equal(await service.connectionExists(one.connectionId()), true);
    });

    it("joins, sends to the group with an ack, and leaves", async () => {
      const sender = await connect(`${name}-sender`, groupRoles, { protocol: protocol() });
      const reader = await connect(`${name}-reader`, groupRoles, { protocol: protocol() });
      await reader.client.joinGroup(`${name}-g`);
      await sender.client.joinGroup(`${name}-g`);
      const result = await sender.client.sendToGroup(`${name}-g`, { n: 1 }, "json");
      assert.equal(result.isDuplicated, false);
      await sender.client.sendToGroup(`${name}-g`, "no echo", "text", { noEcho: true });
      await waitFor(() => reader.seen.group.length === 2, "both group messages at the reader");
      assert.deepEqual(reader.seen.group.map((m) => m.data), [{ n: 1 }, "no echo"]);
      assert.equal(reader.seen.group[0].fromUserId, `${name}-sender`);
      await delay(200);
      assert.deepEqual(sender.seen.group.map((m) => m.data), [{ n: 1 }]);
      await reader.client.leaveGroup(`${name}-g`);
      await sender.client.sendToGroup(`${name}-g`, "after leave", "text");
      await delay(200);
      assert.equal(reader.seen.group.length, 2);
    });
  });
}

describe("acks", () => {
  it("a repeated ackId resolves as a duplicate", async () => {
    const one = await connect("dup");
    await one.client.joinGroup("dup-g");
    const first = await one.client.sendToGroup("dup-g", "once", "text", { ackId: 1000 });
    const second = await one.client.sendToGroup("dup-g", "twice", "text", { ackId: 1000 });
    assert.equal(first.isDuplicated, false);
    assert.equal(second.isDuplicated, true);
    await waitFor(() => one.seen.group.length >= 1, "the group message");
    await delay(200);
    assert.deepEqual(one.seen.group.map((m) => m.data), ["once"]);
  });

  it("a join without the role is refused with Forbidden", async () => {
    const one = await connect("no-roles", []);
    await assert.rejects(one.client.joinGroup("secret"), (e) => e.errorDetail?.name === "Forbidden");
  });

  it("sendEvent is acknowledged though there is no upstream", async () => {
    const one = await connect("events");
    const result = await one.client.sendEvent("ev", { a: 1 }, "json");
    assert.equal(result.isDuplicated, false);
  });

  it("binary group data arrives as bytes", async () => {
    const one = await connect("bytes");
    await one.client.joinGroup("bytes-g");
    await one.client.sendToGroup("bytes-g", new Uint8Array([9, 8, 7]).buffer, "binary");
    await waitFor(() => one.seen.group.length === 1, "the binary message");
    assert.deepEqual([...new Uint8Array(one.seen.group[0].data)], [9, 8, 7]);
  });
});

describe("keepalive", () => {
  it("ping is answered with pong on the wire", async () => {
    const socket = new WebSocket(clientUrl(relay), "json.webpubsub.azure.v1");
    const messages = [];
    socket.on("message", (data) => messages.push(JSON.parse(data.toString())));
    await new Promise((resolve, reject) => socket.once("open", resolve).once("error", reject));
    await waitFor(() => messages.length === 1, "connected");
    socket.send(JSON.stringify({ type: "ping" }));
    await waitFor(() => messages.length === 2, "pong");
    assert.deepEqual(messages[1], { type: "pong" });
    socket.close();
  });

  it("pongs keep a client with a short keepalive timeout on the same socket", async () => {
    const one = await connect("keepalive", groupRoles, { keepAliveIntervalInMs: 150, keepAliveTimeoutInMs: 900 });
    await delay(3000);
    // Without pongs the client would have closed its socket after 900 ms and recovered; the relay logs both.
    assert.doesNotMatch(relay.log(), new RegExp(`Connection ${one.connectionId()} (recovered|lost its socket)`));
    assert.equal(one.seen.disconnected.length, 0);
  });
});
