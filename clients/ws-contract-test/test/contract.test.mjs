// The WebSocket wire contract of DESIGN section 5, from outside the JVM.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import WebSocket from 'ws';
import { ContractClient, SUBPROTOCOL } from '../lib/client.mjs';
import { WS_URL, LOG_MAX_RECORDS, connectAs, newRoom, say, token } from '../lib/env.mjs';

/** Joins a fresh room and resolves with the joined message (the snapshot is consumed too). */
async function join(client, room) {
  client.send({ op: 'join', room });
  const joined = await client.nextOp('joined', room);
  const snapshot = await client.nextOp('snapshot', room);
  assert.equal(snapshot.seq, joined.seq);
  assert.equal(snapshot.epoch, joined.epoch);
  return joined;
}

test('join, publish, ack and event reach every subscriber with the payload verbatim', async (t) => {
  const room = newRoom();
  const alice = await connectAs('alice');
  const bob = await connectAs('bob');
  t.after(() => { alice.close(); bob.close(); });
  assert.equal(alice.ws.protocol, SUBPROTOCOL);

  const joined = await join(alice, room);
  assert.equal(joined.recovered, false);
  assert.equal(typeof joined.epoch, 'string');
  await join(bob, room);

  alice.send(`{"op":"publish","room":"${room}","type":"chat.message",`
    + '"payload":{"text":"hello",  "n":[1, 2.50]},"correlationId":"c-1"}');
  const ack = await alice.nextOp('ack');
  assert.equal(ack.correlationId, 'c-1');
  assert.equal(ack.seq, joined.seq + 1);

  for (const client of [alice, bob]) {
    const { event, raw } = await client.nextOp('event').then((m) => ({ event: m.event, raw: m.raw }));
    assert.equal(event.seq, ack.seq);
    assert.equal(event.room, room);
    assert.equal(event.epoch, joined.epoch);
    assert.equal(event.type, 'chat.message');
    assert.equal(event.correlationId, 'c-1');
    assert.deepEqual(event.origin, { protocol: 'websocket', user: 'alice' });
    assert.ok(raw.includes('"payload":{"text":"hello",  "n":[1, 2.50]}'), raw);
  }

  alice.send({ op: 'ping' });
  await alice.nextOp('pong');
});

test('bad input gets a typed error and the connection stays open', async (t) => {
  const room = newRoom();
  const client = await connectAs('carol');
  t.after(() => client.close());

  client.send('{"op":"join",');
  const malformed = await client.nextOp('error');
  assert.equal(malformed.code, 'bad_request');
  assert.equal(malformed.retry, false);

  client.send({ op: 'dance' });
  assert.equal((await client.nextOp('error')).code, 'unknown_op');

  client.send({ op: 'join', room: 'no dots here' });
  assert.equal((await client.nextOp('error')).code, 'bad_room');

  client.send({ op: 'join', room: 'doc.secret' });
  assert.equal((await client.nextOp('error')).code, 'forbidden');

  await join(client, room);
  client.send({ op: 'publish', room, type: 'chat.message', payload: { text: '' }, correlationId: 'empty-1' });
  const rejected = await client.nextOp('error');
  assert.equal(rejected.code, 'bad_payload');
  assert.equal(rejected.correlationId, 'empty-1');

  client.send({ op: 'ping' });
  await client.nextOp('pong');
  assert.equal(client.closed, null);
});

test('protocol violations close the connection with the matching code', async () => {
  const binary = await connectAs('dave');
  binary.ws.send(Buffer.from([1, 2, 3]), { binary: true });
  assert.equal((await binary.whenClosed()).code, 1003);

  const badUtf8 = await connectAs('dave');
  badUtf8.ws.send(Buffer.from([0x7b, 0xff, 0xfe, 0x7d]), { binary: false });
  assert.equal((await badUtf8.whenClosed()).code, 1007);

  const badToken = await ContractClient.connect(WS_URL, { token: 'not-a-jwt' });
  const closed = await badToken.whenClosed();
  assert.equal(closed.code, 4001);
  assert.ok(closed.reason.length > 0);
});

test('a client offering only other subprotocols is refused', async () => {
  await assert.rejects(ContractClient.connect(WS_URL, { token: token('erin'), protocols: ['mqtt'] }),
    (e) => e.statusCode === 400);
});

test('presence lists members with their protocol, then joins and leaves', async (t) => {
  const room = newRoom();
  const alice = await connectAs('alice');
  t.after(() => alice.close());
  await join(alice, room);
  const bob = await connectAs('bob');
  await join(bob, room);

  const joinedBob = await alice.next((m) => m.op === 'presence' && m.room === room
    && (m.joined?.user === 'bob' || (m.members ?? []).some((x) => x.user === 'bob')));
  assert.ok(joinedBob);

  alice.send({ op: 'presence', room });
  const list = await alice.next((m) => m.op === 'presence' && m.room === room && Array.isArray(m.members)
    && m.members.length === 2);
  const users = list.members.map((m) => m.user).sort();
  assert.deepEqual(users, ['alice', 'bob']);
  for (const member of list.members) {
    assert.equal(member.protocol, 'websocket');
    assert.equal(typeof member.connectionId, 'string');
  }

  bob.close();
  const left = await alice.next((m) => m.op === 'presence' && m.room === room && m.left?.user === 'bob');
  assert.equal(left.left.protocol, 'websocket');
});

test('a later auth frame refreshes the token without reconnecting', async (t) => {
  const room = newRoom();
  const client = await ContractClient.connect(WS_URL);
  t.after(() => client.close());
  client.send({ op: 'auth', token: token('frank', { ttlSeconds: 600 }) });
  const first = await client.nextOp('authenticated');
  assert.equal(first.user, 'frank');

  client.send({ op: 'auth', token: token('frank', { ttlSeconds: 7200 }) });
  const refreshed = await client.nextOp('authenticated');
  assert.ok(refreshed.expiresAt > first.expiresAt, `${refreshed.expiresAt} > ${first.expiresAt}`);

  client.send({ op: 'auth', token: token('mallory') });
  const refused = await client.nextOp('error');
  assert.equal(refused.retry, false);

  await join(client, room);
  const ack = await say(client, room, 'still here', 'r-1');
  assert.ok(ack.seq >= 1);
});

test('resuming within retention gets exactly the missed events and recovered:true', async (t) => {
  const room = newRoom();
  const writer = await connectAs('alice');
  t.after(() => writer.close());
  const joined = await join(writer, room);
  const acks = [];
  for (let i = 1; i <= 4; i++) {
    acks.push(await say(writer, room, `m${i}`, `resume-${i}`));
  }
  const since = acks[0].seq;

  const reader = await connectAs('bob');
  t.after(() => reader.close());
  reader.send({ op: 'join', room, since, epoch: joined.epoch });
  const resumed = await reader.nextOp('joined', room);
  assert.equal(resumed.recovered, true);
  assert.equal(resumed.seq, since);
  const seqs = [];
  for (let i = 0; i < 3; i++) {
    seqs.push((await reader.nextOp('event')).event.seq);
  }
  assert.deepEqual(seqs, acks.slice(1).map((a) => a.seq));
  assert.equal(reader.messages.filter((m) => m.op === 'snapshot').length, 0);
});

test('resuming from another epoch gets a snapshot and recovered:false', async (t) => {
  const room = newRoom();
  const client = await connectAs('alice');
  t.after(() => client.close());
  await join(client, room);
  const ack = await say(client, room, 'before', 'epoch-1');

  const other = await connectAs('bob');
  t.after(() => other.close());
  other.send({ op: 'join', room, since: 1, epoch: 'not-this-epoch' });
  const joined = await other.nextOp('joined', room);
  assert.equal(joined.recovered, false);
  const snapshot = await other.nextOp('snapshot', room);
  assert.equal(snapshot.seq, ack.seq);
  assert.equal(snapshot.state.messages.at(-1).text, 'before');
});

test('resuming past retention gets a snapshot and recovered:false', { skip: LOG_MAX_RECORDS === undefined
  ? 'set PLAYCONNECT_LOG_MAX_RECORDS to the server retention to run it' : false }, async (t) => {
  const room = newRoom();
  const client = await connectAs('alice');
  t.after(() => client.close());
  const joined = await join(client, room);
  let last;
  for (let i = 1; i <= LOG_MAX_RECORDS + 5; i++) {
    last = await say(client, room, `old ${i}`, `old-${i}`);
  }

  const late = await connectAs('bob');
  t.after(() => late.close());
  late.send({ op: 'join', room, since: joined.seq + 1, epoch: joined.epoch });
  const resumed = await late.nextOp('joined', room);
  assert.equal(resumed.recovered, false);
  const snapshot = await late.nextOp('snapshot', room);
  assert.equal(snapshot.seq, last.seq);
  assert.equal(snapshot.epoch, joined.epoch);
});

test('the handshake uses no per-message compression', async () => {
  const ws = new WebSocket(`${WS_URL}?token=${token('gina')}`, [SUBPROTOCOL], { perMessageDeflate: true });
  await new Promise((resolve, reject) => { ws.once('open', resolve); ws.once('error', reject); });
  assert.equal(ws.extensions, '');
  ws.close();
});
