// The client against a real PlayConnect server (scripts/with-server.mjs starts one): the chess
// room's rules, presence, refusals, and recovery from a network that really drops.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { connect, PlayConnectError } from '../../src/index.js';
import { WS_URL, SECRET, freshRoom } from '../support/env.mjs';
import { mintToken, ALL_SCOPES } from '../support/token.mjs';
import { TcpProxy } from '../support/tcp-proxy.mjs';
import { until, nextEvent } from '../support/fake-server.mjs';

const open = [];
after(() => Promise.all(open.map((c) => c.close())));

function client(sub, options = {}) {
  const { rooms, url = WS_URL, ...rest } = options;
  const c = connect({
    url,
    getToken: () => mintToken(SECRET(), { sub, rooms }),
    reconnect: { initialDelayMs: 100, maxDelayMs: 400 },
    ...rest,
  });
  open.push(c);
  return c;
}

/** Joins and records every event's seq (and the events), snapshot and presence list. */
async function follow(c, room) {
  const seen = { seqs: [], events: [], snapshots: [], joins: [], members: [] };
  const joined = await c.join(room, {
    onEvent: (e) => { seen.seqs.push(e.seq); seen.events.push(e); },
    onSnapshot: (state, info) => seen.snapshots.push({ state, ...info }),
    onJoined: (info) => seen.joins.push(info),
    onPresence: (u) => { seen.members = u.members; },
  });
  return { seen, joined };
}

test('two players play a game: seats by first move, acks with gapless seqs, refusals typed by the rules', async () => {
  const room = freshRoom('game');
  const alice = client('alice');
  const bob = client('bob');
  const carol = client('carol');
  const a = await follow(alice, room);
  const b = await follow(bob, room);
  assert.equal(a.joined.recovered, false);
  assert.deepEqual(a.joined.state.moves, []);

  const first = await alice.publish(room, 'game.move', { move: 'e4' }, { correlationId: 'a-1' });
  const second = await bob.publish(room, 'game.move', { move: 'e7e5' }, { correlationId: 'b-1' });
  assert.deepEqual([first.seq, second.seq], [a.joined.seq + 1, a.joined.seq + 2]);
  assert.equal(second.epoch, a.joined.epoch);

  const refusal = (p) => p.then(() => assert.fail('the move should be refused'), (e) => e);
  const outOfTurn = await refusal(bob.publish(room, 'game.move', { move: 'd5' }, { correlationId: 'b-2' }));
  assert.ok(outOfTurn instanceof PlayConnectError);
  assert.deepEqual([outOfTurn.code, outOfTurn.retry, outOfTurn.correlationId], ['not_your_turn', false, 'b-2']);
  assert.equal((await refusal(alice.publish(room, 'game.move', { move: 'Ke3' }))).code, 'illegal_move');
  assert.equal((await refusal(carol.publish(room, 'game.move', { move: 'Nf3' }))).code, 'spectator');

  await until(() => a.seen.seqs.length === 2 && b.seen.seqs.length === 2, 5000, 'both moves at both players');
  for (const seen of [a.seen, b.seen]) {
    assert.deepEqual(seen.seqs, [first.seq, second.seq]);
    assert.deepEqual(seen.events.map((e) => [e.payload.san, e.payload.color, e.payload.player]), [['e4', 'white', 'alice'], ['e5', 'black', 'bob']]);
  }
  const late = await follow(carol, room);
  assert.deepEqual([late.joined.state.white, late.joined.state.black, late.joined.state.moves], ['alice', 'bob', ['e4', 'e5']]);
  assert.equal(late.joined.seq, second.seq);
});

test('presence lists every member with its protocol, and a member that leaves drops out', async () => {
  const room = freshRoom();
  const alice = client('alice');
  const bob = client('bob');
  const a = await follow(alice, room);
  await follow(bob, room);
  await until(() => a.seen.members.length === 2, 5000, 'bob in alice\'s presence list');
  const members = await alice.presence(room);
  assert.deepEqual(members.map((m) => [m.user, m.protocol]).sort(), [['alice', 'websocket'], ['bob', 'websocket']]);
  bob.leave(room);
  await until(() => a.seen.members.length === 1, 5000, 'bob gone from the list');
  assert.equal(a.seen.members[0].user, 'alice');
});

test('a room the token does not grant is refused as forbidden', async () => {
  const c = client('dave', { rooms: { 'chat.*': ALL_SCOPES } });
  const error = await c.join(freshRoom('game')).catch((e) => e);
  assert.ok(error instanceof PlayConnectError);
  assert.deepEqual([error.code, error.retry], ['forbidden', false]);
});

test('after the network drops, the client reconnects and gets exactly the events it missed', async (t) => {
  const proxy = await TcpProxy.start(WS_URL);
  t.after(() => proxy.stop());
  const room = freshRoom();
  const alice = client('alice', { url: proxy.url(WS_URL), reconnect: { initialDelayMs: 300, maxDelayMs: 300, jitter: 0 } });
  const bob = client('bob');
  const a = await follow(alice, room);
  await follow(bob, room);
  await bob.publish(room, 'chat.message', { text: 'before' });
  await until(() => a.seen.seqs.length === 1, 5000, 'the first message');

  const reconnecting = nextEvent(alice, 'reconnecting');
  proxy.cut();
  assert.equal((await reconnecting).code, 1006);
  for (const text of ['while', 'alice', 'was away']) {
    await bob.publish(room, 'chat.message', { text });
  }
  await nextEvent(alice, 'open');
  await until(() => a.seen.seqs.length === 4, 5000, 'the missed messages');
  const base = a.joined.seq;
  assert.deepEqual(a.seen.seqs, [base + 1, base + 2, base + 3, base + 4]);
  assert.deepEqual(a.seen.events.map((e) => e.payload.text), ['before', 'while', 'alice', 'was away']);
  assert.equal(a.seen.snapshots.length, 1, 'a resume within retention brings no snapshot');
  assert.deepEqual(a.seen.joins.map((j) => j.recovered), [false, true]);
});

test('a publish whose ack was lost is re-sent with the same correlationId and applied once', async (t) => {
  const proxy = await TcpProxy.start(WS_URL);
  t.after(() => proxy.stop());
  const room = freshRoom();
  const alice = client('alice', { url: proxy.url(WS_URL), heartbeatIntervalMs: 0 });
  const watcher = client('watcher');
  await follow(alice, room);
  const w = await follow(watcher, room);

  proxy.hold();
  const published = alice.publish(room, 'chat.message', { text: 'exactly once' }, { correlationId: 'once-1' });
  await until(() => w.seen.events.some((e) => e.correlationId === 'once-1'), 5000, 'the command stored');
  proxy.cut();
  const ack = await published;
  const stored = w.seen.events.find((e) => e.correlationId === 'once-1');
  assert.equal(ack.seq, stored.seq);
  assert.equal(ack.correlationId, 'once-1');

  await watcher.publish(room, 'chat.message', { text: 'marker' }, { correlationId: 'marker-1' });
  await until(() => w.seen.events.some((e) => e.correlationId === 'marker-1'), 5000, 'the marker');
  assert.equal(w.seen.events.filter((e) => e.correlationId === 'once-1').length, 1);
  assert.equal(proxy.connections, 2, 'the publish was answered over a second connection');
});

test('getToken refreshes a short-lived token on the same connection, which outlives the first token', async () => {
  const room = freshRoom();
  let minted = 0;
  // The server honours tokens up to 30 s past their exp (clock skew): an exp 27 s ago leaves 3 s.
  const c = connect({
    url: WS_URL,
    getToken: () => { minted += 1; return mintToken(SECRET(), { sub: 'erin', ttlSeconds: -27 }); },
  });
  open.push(c);
  let reconnects = 0;
  c.on('reconnecting', () => { reconnects += 1; });
  const expiries = [];
  c.on('authenticated', ({ expiresAt }) => expiries.push(expiresAt));
  await c.ready();
  await c.join(room);
  const firstExpiry = expiries[0];
  await until(() => Date.now() > firstExpiry + 500, 10_000, 'the first token to expire');
  const ack = await c.publish(room, 'chat.message', { text: 'still here' });
  assert.ok(ack.seq >= 1);
  assert.ok(expiries.length >= 2, `refreshes: ${expiries.length}`);
  assert.ok(expiries.at(-1) > firstExpiry);
  assert.ok(minted >= 2);
  assert.equal(reconnects, 0);
});
