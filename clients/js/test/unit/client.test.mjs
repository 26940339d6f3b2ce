// The client against the in-process fake gateway: every recovery path, forced on purpose.
import { test, beforeEach, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { connect, PlayConnectError } from '../../src/index.js';
import { FakeServer, until, nextEvent } from '../support/fake-server.mjs';

const FAST = { reconnect: { initialDelayMs: 10, maxDelayMs: 50 } };
let server;
let clients;

beforeEach(async () => {
  server = await FakeServer.start();
  server.tokens.set('t-alice', 'alice').set('t-bob', 'bob');
  clients = [];
});

afterEach(async () => {
  await Promise.all(clients.map((c) => c.close()));
  await server.stop();
});

function open(options) {
  const client = connect({ url: server.url, ...FAST, ...options });
  clients.push(client);
  return client;
}

/** A client that records what every room delivers. */
function recorder(client, room, extra = {}) {
  const seen = { events: [], snapshots: [], presence: [] };
  const joined = client.join(room, {
    onEvent: (e) => seen.events.push(e.seq),
    onSnapshot: (state, info) => seen.snapshots.push({ state, ...info }),
    onPresence: (u) => seen.presence.push(u.members.map((m) => m.user).sort()),
    ...extra,
  });
  return { seen, joined };
}

test('connects over the ws package, authenticates with a first frame, and reports the states in order', async () => {
  const client = open({ token: 't-alice' });
  const states = [];
  client.on('state', (s) => states.push(s.state));
  await client.ready();
  assert.equal(client.state, 'open');
  assert.equal(client.user, 'alice');
  assert.deepEqual(server.frames[0].frame, { op: 'auth', token: 't-alice' });
  assert.deepEqual(states, ['open']); // 'connecting' came before the listener could see a change
  await client.close();
  assert.deepEqual(states, ['open', 'closed']);
});

test('join gives the snapshot, events in order and presence; publish resolves with the ack', async () => {
  server.inject('chat.a', 'chat.message', { text: 'before' });
  const client = open({ token: 't-alice' });
  const { seen, joined } = recorder(client, 'chat.a');
  const result = await joined;
  assert.deepEqual({ seq: result.seq, recovered: result.recovered, state: result.state }, { seq: 1, recovered: false, state: { count: 1 } });
  assert.equal(seen.snapshots.length, 1);
  const ack = await client.publish('chat.a', 'chat.message', { text: 'hi' }, { correlationId: 'c-1' });
  assert.deepEqual(ack, { room: 'chat.a', seq: 2, epoch: result.epoch, correlationId: 'c-1' });
  await until(() => seen.events.length === 1, 5000, 'the event');
  assert.deepEqual(seen.events, [2]);
  assert.deepEqual(seen.presence.at(-1), ['alice']);
  assert.deepEqual(client.position('chat.a'), { epoch: result.epoch, seq: 2 });
  assert.deepEqual((await client.presence('chat.a')).map((m) => m.user), ['alice']);
});

test('a refused publish rejects with a typed PlayConnectError; a retryable one is retried with the same correlationId', async () => {
  const client = open({ token: 't-alice' });
  await client.ready();
  server.refusals.push({ code: 'illegal_move', retry: false });
  const refused = await client.publish('game.1', 'move', { move: 'e5' }, { correlationId: 'm-1' }).catch((e) => e);
  assert.ok(refused instanceof PlayConnectError);
  assert.deepEqual([refused.code, refused.retry, refused.correlationId], ['illegal_move', false, 'm-1']);

  server.refusals.push({ code: 'outcome_unknown', retry: true }, { code: 'no_owner', retry: true });
  const ack = await client.publish('game.1', 'move', { move: 'e4' }, { correlationId: 'm-2' });
  assert.equal(ack.seq, 1);
  assert.deepEqual(server.received('publish').map((f) => f.correlationId), ['m-1', 'm-2', 'm-2', 'm-2']);
});

test('an event delivered twice is handed over once', async () => {
  server.deliverTwice = true;
  const client = open({ token: 't-alice' });
  const { seen, joined } = recorder(client, 'chat.a');
  await joined;
  for (let i = 1; i <= 5; i += 1) {
    await client.publish('chat.a', 'chat.message', { text: `m${i}` });
  }
  await until(() => seen.events.length === 5, 5000, 'five events');
  assert.deepEqual(seen.events, [1, 2, 3, 4, 5]);
});

test('a gap makes the client join again from its last seq, and the missing event comes before the later ones', async () => {
  const client = open({ token: 't-alice' });
  const { seen, joined } = recorder(client, 'chat.a');
  await joined;
  server.loseLive.add(2);
  const resync = nextEvent(client, 'resync');
  for (let i = 1; i <= 4; i += 1) {
    await client.publish('chat.a', 'chat.message', { text: `m${i}` });
  }
  assert.deepEqual(await resync, { room: 'chat.a', epoch: server.room('chat.a').epoch, seq: 1, got: { epoch: server.room('chat.a').epoch, seq: 3 } });
  await until(() => seen.events.length === 4, 5000, 'four events');
  assert.deepEqual(seen.events, [1, 2, 3, 4]);
  const joins = server.received('join');
  assert.deepEqual(joins.at(-1), { op: 'join', room: 'chat.a', since: 1, epoch: server.room('chat.a').epoch });
});

test('after a dropped connection it reconnects with a fresh token and resumes every room from its position', async () => {
  let tokens = 0;
  const client = open({ getToken: async () => { tokens += 1; server.tokens.set(`t-${tokens}`, 'alice'); return `t-${tokens}`; } });
  const a = recorder(client, 'chat.a');
  const b = recorder(client, 'chat.b');
  await Promise.all([a.joined, b.joined]);
  await client.publish('chat.a', 'chat.message', { text: 'one' });
  await until(() => a.seen.events.length === 1, 5000, 'the first event');

  const reconnecting = nextEvent(client, 'reconnecting');
  server.dropAll();
  const lost = await reconnecting;
  assert.equal(lost.code, 1006);
  // While the client is away, others write to both rooms.
  server.inject('chat.a', 'chat.message', { text: 'missed' });
  server.inject('chat.b', 'chat.message', { text: 'missed too' });
  const reopened = await nextEvent(client, 'open');
  assert.equal(reopened.reconnected, true);
  await until(() => a.seen.events.length === 2 && b.seen.events.length === 1, 5000, 'the missed events');
  assert.deepEqual(a.seen.events, [1, 2]);
  assert.deepEqual(b.seen.events, [1]);
  assert.equal(a.seen.snapshots.length, 1, 'a resume brings no second snapshot');
  assert.equal(tokens, 2);
  const auths = server.received('auth').map((f) => f.token);
  assert.deepEqual(auths, ['t-1', 't-2']);
  const resumes = server.received('join').slice(2);
  assert.deepEqual(resumes.map((j) => [j.room, j.since]).sort(), [['chat.a', 1], ['chat.b', 0]]);
});

test('a publish whose ack was lost is sent again with the same correlationId after reconnecting, and applies once', async () => {
  const client = open({ token: 't-alice' });
  const { seen, joined } = recorder(client, 'chat.a');
  await joined;
  server.swallowAcks = true;
  const published = client.publish('chat.a', 'chat.message', { text: 'once' }, { correlationId: 'keep-me' });
  await until(() => server.received('publish').length === 1, 5000, 'the publish at the server');
  server.swallowAcks = false;
  server.dropAll();
  const ack = await published;
  assert.equal(ack.seq, 1);
  assert.deepEqual(server.received('publish').map((f) => f.correlationId), ['keep-me', 'keep-me']);
  assert.equal(server.room('chat.a').events.length, 1);
  await until(() => seen.events.length === 1, 5000, 'the event');
  assert.deepEqual(seen.events, [1]);
});

test('a publish made while disconnected is sent once the connection is back, after the rooms are joined again', async () => {
  const client = open({ token: 't-alice', reconnect: { initialDelayMs: 200, maxDelayMs: 200, jitter: 0 } });
  const { seen, joined } = recorder(client, 'chat.a');
  await joined;
  const reconnecting = nextEvent(client, 'reconnecting');
  server.dropAll();
  await reconnecting;
  assert.equal(client.state, 'reconnecting');
  const ack = await client.publish('chat.a', 'chat.message', { text: 'offline' });
  assert.equal(ack.seq, 1);
  const ops = server.frames.slice(2).map((f) => f.frame.op);
  assert.deepEqual(ops.slice(0, 3), ['auth', 'join', 'publish']);
  await until(() => seen.events.length === 1, 5000, 'the event');
});

test('a new epoch after a reconnect (history lost) brings a snapshot instead of a resume', async () => {
  const client = open({ token: 't-alice' });
  const { seen, joined } = recorder(client, 'chat.a');
  const first = await joined;
  await client.publish('chat.a', 'chat.message', { text: 'old' });
  await until(() => seen.events.length === 1, 5000, 'the event');
  server.resetRooms();
  server.inject('chat.a', 'chat.message', { text: 'new world' });
  server.dropAll();
  await until(() => seen.snapshots.length === 2, 5000, 'the second snapshot');
  assert.notEqual(seen.snapshots[1].epoch, first.epoch);
  assert.deepEqual([seen.snapshots[1].seq, seen.snapshots[1].recovered], [1, false]);
  assert.deepEqual(client.position('chat.a'), { epoch: seen.snapshots[1].epoch, seq: 1 });
});

test('a refused join rejects with the server code and forgets the room', async () => {
  const client = open({ token: 't-alice' });
  const error = await client.join('secret.plans').catch((e) => e);
  assert.deepEqual([error.code, error.retry, error.room], ['forbidden', false, 'secret.plans']);
  assert.equal(client.position('secret.plans'), null);
  const bad = await client.join('no-dot').catch((e) => e);
  assert.equal(bad.code, 'bad_room');
});

test('getToken refreshes the token before expiry with an auth frame on the same connection', async () => {
  server.tokenTtlMs = 400;
  let tokens = 0;
  const client = open({ getToken: async () => { tokens += 1; server.tokens.set(`r-${tokens}`, 'alice'); return `r-${tokens}`; } });
  let reconnects = 0;
  client.on('reconnecting', () => { reconnects += 1; });
  await client.ready();
  await until(() => server.received('auth').length >= 3, 5000, 'two refreshes');
  assert.equal(server.connections.size, 1);
  assert.equal(new Set(server.frames.filter((f) => f.frame.op === 'auth').map((f) => f.connection)).size, 1);
  assert.equal(reconnects, 0);
  assert.deepEqual(server.received('auth').slice(0, 3).map((f) => f.token), ['r-1', 'r-2', 'r-3']);
});

test('a close with 4004 (kicked) is final: no reconnect, and waiting publishes fail with closed', async () => {
  const client = open({ token: 't-alice' });
  await client.ready();
  server.swallowAcks = true;
  const pending = client.publish('chat.a', 'chat.message', { text: 'x' }, { correlationId: 'c-k' });
  await until(() => server.received('publish').length === 1, 5000, 'the publish at the server');
  const closed = nextEvent(client, 'closed');
  server.closeAll(4004, 'kicked by an operator');
  assert.deepEqual(await closed, { code: 4004, reason: 'kicked by an operator' });
  const error = await pending.catch((e) => e);
  assert.deepEqual([error.code, error.closeCode, error.correlationId, error.retry], ['closed', 4004, 'c-k', true]);
  assert.equal(client.state, 'closed');
  assert.equal(server.received('auth').length, 1);
});

test('a refused fixed token is final; with getToken the client tries a new one', async () => {
  const fixed = open({ token: 'wrong' });
  const closed = await nextEvent(fixed, 'closed');
  assert.equal(closed.code, 4001);

  let calls = 0;
  const refreshing = open({ getToken: async () => (++calls < 3 ? 'wrong' : 't-bob') });
  await refreshing.ready();
  assert.equal(refreshing.user, 'bob');
  assert.equal(calls, 3);
});

test('a connection that stops answering pings counts as lost and is replaced', async () => {
  const client = open({ token: 't-alice', heartbeatIntervalMs: 40, heartbeatTimeoutMs: 80 });
  await client.ready();
  await until(() => server.received('ping').length >= 1, 5000, 'a ping');
  server.silent = true;
  const lost = await nextEvent(client, 'reconnecting');
  assert.equal(lost.code, 1006);
  assert.match(lost.reason, /no answer to a ping/);
  server.silent = false;
  await nextEvent(client, 'open');
});

test('a publish without an answer rejects with timeout, retry true and its correlationId', async () => {
  const client = open({ token: 't-alice' });
  await client.ready();
  server.swallowAcks = true;
  const error = await client.publish('chat.a', 'chat.message', { text: 'x' }, { correlationId: 'slow', timeoutMs: 100 }).catch((e) => e);
  assert.deepEqual([error.code, error.retry, error.correlationId], ['timeout', true, 'slow']);
});

test('bad arguments are refused before anything is sent', async () => {
  const client = open({ token: 't-alice' });
  await client.ready();
  const sentBefore = server.frames.length;
  assert.equal((await client.publish('chat.a', 'chat.message', undefined).catch((e) => e)).code, 'invalid_argument');
  assert.equal((await client.publish('chat.a', 'chat.message', {}, { correlationId: 'x'.repeat(129) }).catch((e) => e)).code, 'invalid_argument');
  assert.equal((await client.publish('chat.a', 'chat.message', { text: 'x'.repeat(70_000) }).catch((e) => e)).code, 'payload_too_large');
  assert.equal((await client.join('chat.a', { since: 3 }).catch((e) => e)).code, 'invalid_argument');
  assert.equal(server.frames.length, sentBefore);
});

test('a handler that throws is reported as an error event and does not stop delivery', async () => {
  const client = open({ token: 't-alice' });
  const delivered = [];
  const errors = [];
  client.on('error', (e) => errors.push(e.message));
  await client.join('chat.a', { onEvent: (e) => { delivered.push(e.seq); if (e.seq === 1) throw new Error('app bug'); } });
  await client.publish('chat.a', 'chat.message', { text: '1' });
  await client.publish('chat.a', 'chat.message', { text: '2' });
  await until(() => delivered.length === 2, 5000, 'both events');
  assert.deepEqual(errors, ['app bug']);
});
