// A reliable client whose socket is dropped without a close frame recovers, and every message sent before,
// during and after the drop arrives exactly once, in order.
import { describe, it, before, after } from "node:test";
import assert from "node:assert/strict";
import { WebPubSubJsonProtocol } from "@azure/web-pubsub-client";
import { startRelay, waitFor, delay, dropConnection } from "../support/relay.mjs";
import { serviceClient, startClient } from "../support/clients.mjs";

let relay;
let service;
const clients = [];

before(async () => {
  relay = await startRelay();
  service = serviceClient(relay);
});

after(async () => {
  for (const { client } of clients) client.stop();
  await relay?.stop();
});

describe("forced drop", () => {
  it("recovers the same connection and delivers every message once, in order", async () => {
    const reader = await startClient(service, { userId: "reader", groups: ["feed"] });
    clients.push(reader);
    const id = reader.connectionId();
    const total = 60;
    for (let n = 1; n <= total; n++) {
      if (n === 20) {
        await dropConnection(relay, "chat", id);
      }
      if (n % 2 === 0) {
        await service.group("feed").sendToAll({ n });
      } else {
        await service.sendToUser("reader", { n });
      }
      if (n === 21) {
        // Some messages go out while the relay holds the connection with no socket.
        await delay(300);
      }
    }

    await waitFor(() => reader.seen.data.length >= total, `${total} messages`, 20_000);
    await delay(300);
    assert.deepEqual(reader.seen.data.map((m) => m.data.n), Array.from({ length: total }, (_, i) => i + 1));
    assert.deepEqual(reader.seen.data.map((m) => m.sequenceId), Array.from({ length: total }, (_, i) => i + 1));
    assert.equal(reader.seen.connected.length, 1, "recovery must not look like a new connection");
    assert.equal(reader.seen.disconnected.length, 0);
    assert.equal(reader.connectionId(), id);
    assert.match(relay.log(), new RegExp(`Connection ${id} recovered`));
  });

  it("group membership survives the recovery", async () => {
    const member = await startClient(service, { userId: "member", roles: ["webpubsub.joinLeaveGroup"] });
    clients.push(member);
    await member.client.joinGroup("kept");
    await dropConnection(relay, "chat", member.connectionId());
    await delay(200);
    await service.group("kept").sendToAll("still here", { contentType: "text/plain" });
    await waitFor(() => member.seen.group.length === 1, "the group message after recovery", 15_000);
    assert.equal(member.seen.group[0].data, "still here");
    assert.equal(member.seen.connected.length, 1);
  });

  it("a client on the non-reliable subprotocol connects afresh and rejoins its groups", async () => {
    const plain = await startClient(service, { userId: "plain", roles: ["webpubsub.joinLeaveGroup"] }, { protocol: WebPubSubJsonProtocol() });
    clients.push(plain);
    const first = plain.connectionId();
    await plain.client.joinGroup("rejoined");
    await dropConnection(relay, "chat", first);
    await waitFor(() => plain.seen.connected.length === 2, "the new connection", 15_000);
    assert.notEqual(plain.connectionId(), first);
    assert.equal(await service.connectionExists(first), false);
    // The client sends its joinGroup before emitting connected but does not wait for the ack.
    await waitFor(() => service.groupExists("rejoined"), "the rejoin");
    await service.group("rejoined").sendToAll("welcome back", { contentType: "text/plain" });
    await waitFor(() => plain.seen.group.length === 1, "the group message on the new connection");
    assert.equal(plain.seen.group[0].data, "welcome back");
  });
});
