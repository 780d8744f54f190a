// The official server SDK (@azure/web-pubsub 1.2.0) against the relay: every call it makes must succeed or fail
// exactly as it would against Azure, since the SDK throws on any status it does not list.
import { describe, it, before, after } from "node:test";
import assert from "node:assert/strict";
import { odata } from "@azure/web-pubsub";
import { startRelay, waitFor, rest } from "../support/relay.mjs";
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

async function connect(userId, groups) {
  const started = await startClient(service, { userId, groups });
  clients.push(started);
  return started;
}

function lastData(messages) {
  return messages.at(-1).data;
}

describe("sends in all three content types", () => {
  let alice;
  before(async () => {
    alice = await connect("alice", ["room"]);
  });

  const payloads = [
    ["json", { hello: "world" }, undefined, (d) => assert.deepEqual(d, { hello: "world" })],
    ["text", "plain words", { contentType: "text/plain" }, (d) => assert.equal(d, "plain words")],
    ["binary", new Uint8Array([1, 2, 250]).buffer, undefined, (d) => assert.deepEqual([...new Uint8Array(d)], [1, 2, 250])],
  ];

  for (const [type, payload, options, check] of payloads) {
    it(`sendToAll ${type}`, async () => {
      const before = alice.seen.server.length;
      await service.sendToAll(payload, options);
      await waitFor(() => alice.seen.server.length > before, "the server message");
      assert.equal(alice.seen.server.at(-1).dataType, type);
      check(lastData(alice.seen.server));
    });

    it(`group sendToAll ${type}`, async () => {
      const before = alice.seen.group.length;
      await service.group("room").sendToAll(payload, options);
      await waitFor(() => alice.seen.group.length > before, "the group message");
      assert.equal(alice.seen.group.at(-1).group, "room");
      assert.equal(alice.seen.group.at(-1).dataType, type);
      check(lastData(alice.seen.group));
    });

    it(`sendToUser ${type}`, async () => {
      const before = alice.seen.server.length;
      await service.sendToUser("alice", payload, options);
      await waitFor(() => alice.seen.server.length > before, "the user message");
      check(lastData(alice.seen.server));
    });

    it(`sendToConnection ${type}`, async () => {
      const before = alice.seen.server.length;
      await service.sendToConnection(alice.connectionId(), payload, options);
      await waitFor(() => alice.seen.server.length > before, "the connection message");
      check(lastData(alice.seen.server));
    });
  }

  it("a JSON string is sent as JSON", async () => {
    const before = alice.seen.server.length;
    await service.sendToAll("quoted");
    await waitFor(() => alice.seen.server.length > before, "the server message");
    assert.equal(alice.seen.server.at(-1).dataType, "json");
    assert.equal(lastData(alice.seen.server), "quoted");
  });

  it("sends to nobody still succeed", async () => {
    await service.sendToUser("nobody", { x: 1 });
    await service.sendToConnection("nobody", { x: 1 });
    await service.group("empty").sendToAll({ x: 1 });
  });
});

describe("excluded connections and filters", () => {
  it("skip the excluded connection and the filtered-out user", async () => {
    const bob = await connect("bob");
    const carol = await connect("carol");
    const dave = await connect("dave");
    await service.sendToAll({ n: 1 }, { excludedConnections: [bob.connectionId()], filter: odata`userId ne ${"carol"}` });
    await service.sendToAll({ n: 2 });
    await waitFor(() => bob.seen.server.length > 0 && carol.seen.server.length > 0 && dave.seen.server.length > 1, "the messages");
    assert.deepEqual(bob.seen.server.map((m) => m.data.n), [2]);
    assert.deepEqual(carol.seen.server.map((m) => m.data.n), [2]);
    assert.deepEqual(dave.seen.server.map((m) => m.data.n), [1, 2]);
  });
});

describe("existence checks and group membership", () => {
  it("connectionExists, userExists and groupExists answer true and false", async () => {
    const erin = await connect("erin");
    assert.equal(await service.connectionExists(erin.connectionId()), true);
    assert.equal(await service.connectionExists("no-such-connection"), false);
    assert.equal(await service.userExists("erin"), true);
    assert.equal(await service.userExists("no-such-user"), false);
    assert.equal(await service.groupExists("no-such-group"), false);
  });

  it("addConnection, listConnections and removeConnection", async () => {
    const frank = await connect("frank");
    const group = service.group("club/1 ä");
    await group.addConnection(frank.connectionId());
    assert.equal(await service.groupExists("club/1 ä"), true);
    const members = [];
    for await (const member of await group.listConnections()) members.push(member);
    assert.deepEqual(members, [{ connectionId: frank.connectionId(), userId: "frank" }]);
    await group.sendToAll("hi club", { contentType: "text/plain" });
    await waitFor(() => frank.seen.group.length > 0, "the club message");
    assert.equal(frank.seen.group[0].group, "club/1 ä");
    await group.removeConnection(frank.connectionId());
    assert.equal(await service.groupExists("club/1 ä"), false);
  });

  it("addConnection of an unknown connection is a 404", async () => {
    await assert.rejects(service.group("g").addConnection("no-such-connection"), (e) => e.statusCode === 404);
  });

  it("addUser, removeUser and removeUserFromAllGroups", async () => {
    const gina = await connect("gina");
    await service.group("g1").addUser("gina");
    await service.group("g2").addUser("gina");
    assert.equal(await service.groupExists("g1"), true);
    await service.group("g1").removeUser("gina");
    assert.equal(await service.groupExists("g1"), false);
    assert.equal(await service.groupExists("g2"), true);
    await service.removeUserFromAllGroups("gina");
    assert.equal(await service.groupExists("g2"), false);
    assert.equal(gina.seen.group.length, 0);
  });

  it("removeConnectionFromAllGroups", async () => {
    const hank = await connect("hank", ["h1", "h2"]);
    assert.equal(await service.groupExists("h1"), true);
    await service.removeConnectionFromAllGroups(hank.connectionId());
    assert.equal(await service.groupExists("h1"), false);
    assert.equal(await service.groupExists("h2"), false);
  });

  it("addConnectionsToGroups and removeConnectionsFromGroups by filter", async () => {
    await connect("ivy", ["ivy-home"]);
    await service.addConnectionsToGroups(["ivy-extra"], odata`userId eq ${"ivy"}`);
    assert.equal(await service.groupExists("ivy-extra"), true);
    await service.removeConnectionsFromGroups(["ivy-extra", "ivy-home"], "'ivy-home' in groups");
    assert.equal(await service.groupExists("ivy-extra"), false);
    assert.equal(await service.groupExists("ivy-home"), false);
  });

  it("grantPermission, hasPermission and revokePermission", async () => {
    const jack = await connect("jack");
    const id = jack.connectionId();
    assert.equal(await service.hasPermission(id, "sendToGroup", { targetName: "g" }), false);
    await service.grantPermission(id, "sendToGroup", { targetName: "g" });
    assert.equal(await service.hasPermission(id, "sendToGroup", { targetName: "g" }), true);
    await jack.client.sendToGroup("g", "allowed now", "text");
    await service.revokePermission(id, "sendToGroup", { targetName: "g" });
    assert.equal(await service.hasPermission(id, "sendToGroup", { targetName: "g" }), false);
  });
});

describe("close calls", () => {
  it("closeConnection sends the reason, then the client reconnects afresh", async () => {
    const kim = await connect("kim");
    const first = kim.connectionId();
    await service.closeConnection(first, { reason: "bye kim" });
    await waitFor(() => kim.seen.disconnected.length > 0 && kim.seen.connected.length > 1, "the disconnect and the new connection");
    assert.equal(kim.seen.disconnected[0].message?.message, "bye kim");
    assert.notEqual(kim.connectionId(), first);
    assert.equal(await service.connectionExists(first), false);
  });

  it("closeUserConnections, group closeAllConnections and closeAllConnections", async () => {
    const lee = await connect("lee");
    const max = await connect("max");
    await service.closeUserConnections("lee", { reason: "user" });
    await waitFor(() => lee.seen.disconnected.length === 1, "lee's disconnect");
    await waitFor(() => lee.seen.connected.length === 2, "lee's new connection");
    // Only max is in the group, so the group close must leave lee's new connection alone.
    await service.group("lee-group").addConnection(max.connectionId());
    await service.group("lee-group").closeAllConnections({ reason: "group" });
    await waitFor(() => max.seen.disconnected.length === 1, "max's disconnect");
    assert.equal(max.seen.disconnected[0].message?.message, "group");
    assert.equal(lee.seen.disconnected.length, 1);
    await service.closeAllConnections({ reason: "everyone" });
    await waitFor(() => lee.seen.disconnected.length === 2, "lee's second disconnect");
    assert.equal(lee.seen.disconnected[1].message?.message, "everyone");
  });
});

describe("exact statuses on the wire", () => {
  const table = [
    ["POST", "/api/hubs/chat/:send", 202, "x"],
    ["POST", "/api/hubs/chat/groups/g/:send", 202, "x"],
    ["POST", "/api/hubs/chat/users/u/:send", 202, "x"],
    ["POST", "/api/hubs/chat/connections/c/:send", 202, "x"],
    ["POST", "/api/hubs/chat/:closeConnections", 204],
    ["POST", "/api/hubs/chat/groups/g/:closeConnections", 204],
    ["POST", "/api/hubs/chat/users/u/:closeConnections", 204],
    ["DELETE", "/api/hubs/chat/connections/c", 204],
    ["HEAD", "/api/hubs/chat/connections/c", 404],
    ["HEAD", "/api/hubs/chat/groups/g", 404],
    ["HEAD", "/api/hubs/chat/users/u", 404],
    ["PUT", "/api/hubs/chat/groups/g/connections/c", 404],
    ["DELETE", "/api/hubs/chat/groups/g/connections/c", 204],
    ["PUT", "/api/hubs/chat/users/u/groups/g", 200],
    ["DELETE", "/api/hubs/chat/users/u/groups/g", 204],
    ["DELETE", "/api/hubs/chat/users/u/groups", 204],
    ["DELETE", "/api/hubs/chat/connections/c/groups", 204],
    ["POST", "/api/hubs/other/:send", 404, "x"],
  ];
  for (const [method, path, status, body] of table) {
    it(`${method} ${path} → ${status}`, async () => {
      const response = await rest(relay, method, path, body ? { body, contentType: "text/plain" } : {});
      assert.equal(response.status, status);
    });
  }
});
