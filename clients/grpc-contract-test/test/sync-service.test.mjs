// playconnect.v1.SyncService with @grpc/grpc-js and @grpc/proto-loader loading proto/playconnect/v1.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { syncClient, bearer, token, newRoom, unary, deadline, grpc } from '../lib/env.mjs';
import { StreamReader } from '../lib/stream.mjs';

const client = syncClient();
after(() => client.close());

const json = (value) => Buffer.from(JSON.stringify(value));

function connect(jwt) {
  return new StreamReader(client.Connect(bearer(jwt)));
}

test('unary Publish is acknowledged with the seq, and a retry with the same correlation_id gets the same answer', async () => {
  const room = newRoom();
  const md = bearer(token('node-alice'));
  const request = { room, type: 'message', payload: json({ text: 'hi from node' }), correlation_id: 'n-1' };
  const first = await unary(client, 'Publish', request, md);
  assert.equal(first.correlation_id, 'n-1');
  assert.equal(first.room, room);
  assert.equal(first.seq, '1');
  assert.ok(first.epoch.length > 0);
  const again = await unary(client, 'Publish', request, md);
  assert.equal(again.seq, '1');
  const conflict = await unary(client, 'Publish', { ...request, payload: json({ text: 'other' }) }, md)
    .then(() => null, (e) => e);
  assert.equal(conflict.code, grpc.status.ALREADY_EXISTS);
  assert.deepEqual(conflict.metadata.get('playconnect-error-code'), ['idempotency_conflict']);
  assert.deepEqual(conflict.metadata.get('playconnect-retry'), ['false']);
});

test('failed calls carry the typed code in trailers and the matching status', async () => {
  const room = newRoom();
  const payload = json({ text: 'x' });
  const cases = [
    { md: bearer(null), request: { room, type: 'message', payload }, status: grpc.status.UNAUTHENTICATED, code: 'unauthenticated' },
    { md: bearer('not.a.jwt'), request: { room, type: 'message', payload }, status: grpc.status.UNAUTHENTICATED, code: 'unauthenticated' },
    { md: bearer(token('node-reader', { rooms: { 'chat.*': ['subscribe'] } })), request: { room, type: 'message', payload },
      status: grpc.status.PERMISSION_DENIED, code: 'forbidden' },
    { md: bearer(token('node-bob')), request: { room: 'no-dot', type: 'message', payload }, status: grpc.status.INVALID_ARGUMENT, code: 'bad_room' },
    { md: bearer(token('node-bob')), request: { room: 'nokind.1', type: 'x', payload }, status: grpc.status.NOT_FOUND, code: 'unknown_kind' },
    { md: bearer(token('node-bob')), request: { room, type: 'message', payload: Buffer.from('{oops') },
      status: grpc.status.INVALID_ARGUMENT, code: 'bad_payload' },
    { md: bearer(token('node-bob')), request: { room: newRoom('game'), type: 'move', payload: json({ move: 'e5' }) },
      status: grpc.status.FAILED_PRECONDITION, code: 'illegal_move' },
  ];
  for (const c of cases) {
    const err = await unary(client, 'Publish', c.request, c.md).then(() => null, (e) => e);
    assert.ok(err, `${c.code}: the call should fail`);
    assert.equal(err.code, c.status, `${c.code}: ${err.details}`);
    assert.deepEqual(err.metadata.get('playconnect-error-code'), [c.code]);
  }
});

test('a deadline shorter than the command timeout ends the call with DEADLINE_EXCEEDED', async () => {
  const err = await unary(client, 'Publish', { room: newRoom(), type: 'message', payload: json({ text: 'late' }) },
    bearer(token('node-late')), { deadline: new Date(Date.now() - 1) }).then(() => null, (e) => e);
  assert.equal(err.code, grpc.status.DEADLINE_EXCEEDED);
});

test('GetSnapshot and GetPresence', async () => {
  const room = newRoom();
  const jwt = token('node-carol');
  await unary(client, 'Publish', { room, type: 'message', payload: json({ text: 'state' }) }, bearer(jwt));
  const snapshot = await unary(client, 'GetSnapshot', { room }, bearer(jwt));
  assert.equal(snapshot.room, room);
  assert.equal(snapshot.seq, '1');
  assert.equal(JSON.parse(snapshot.state.toString('utf8')).messages[0].text, 'state');

  const member = connect(token('node-dave'));
  member.send({ join: { room } });
  await member.kind('snapshot');
  const presence = await unary(client, 'GetPresence', { room }, bearer(jwt));
  assert.deepEqual(presence.members.map((m) => m.user), ['node-dave']);
  assert.equal(presence.members[0].protocol, 'grpc');
  member.close();
});

test('Connect: join, snapshot, publish with ack, events with the payload bytes as sent, errors keep the stream', async () => {
  const room = newRoom();
  const s = connect(token('node-erin'));
  const authenticated = await s.kind('authenticated');
  assert.equal(authenticated.authenticated.user, 'node-erin');
  s.send({ join: { room } });
  const joined = await s.kind('joined');
  assert.equal(joined.joined.recovered, false);
  const snapshot = await s.kind('snapshot');
  assert.equal(snapshot.snapshot.seq, joined.joined.seq);

  const raw = Buffer.from('{"text":  "spaced",   "n": 1}');
  s.send({ publish: { room, type: 'message', payload: raw, correlation_id: 'e-1' } });
  const ack = await s.next((m) => m.msg === 'ack' && m.ack.correlation_id === 'e-1');
  assert.equal(ack.ack.seq, '1');
  const event = await s.kind('event');
  assert.equal(event.event.v, 1);
  assert.equal(event.event.type, 'chat.message');
  assert.equal(event.event.seq, '1');
  assert.equal(event.event.correlation_id, 'e-1');
  assert.deepEqual(event.event.origin, { protocol: 'grpc', user: 'node-erin' });
  assert.ok(Buffer.compare(event.event.payload, raw) === 0, 'the payload bytes are the ones sent');

  s.send({ join: { room: 'nope' } });
  const error = await s.kind('error');
  assert.equal(error.error.code, 'bad_room');
  assert.equal(error.error.retry, false);
  s.send({ ping: {} });
  await s.kind('pong');
  assert.equal(s.status, null);
  s.close();
});

test('Connect: resume from a position gets exactly the missed events', async () => {
  const room = newRoom();
  const jwt = token('node-frank');
  const first = await unary(client, 'Publish', { room, type: 'message', payload: json({ text: '1' }) }, bearer(jwt));
  await unary(client, 'Publish', { room, type: 'message', payload: json({ text: '2' }) }, bearer(jwt));
  await unary(client, 'Publish', { room, type: 'message', payload: json({ text: '3' }) }, bearer(jwt));
  const s = connect(jwt);
  s.send({ join: { room, since: { epoch: first.epoch, seq: 1 } } });
  const joined = await s.kind('joined');
  assert.equal(joined.joined.recovered, true);
  assert.equal(joined.joined.seq, '1');
  assert.equal((await s.kind('event')).event.seq, '2');
  assert.equal((await s.kind('event')).event.seq, '3');
  s.send({ join: { room: `${room}`, since: { epoch: 'another-epoch', seq: 2 } } });
  const fresh = await s.next((m) => m.msg === 'joined' && m.joined.recovered === false);
  assert.equal(fresh.joined.seq, '3');
  await s.kind('snapshot');
  s.close();
});

test('Connect: a refused token ends the stream with UNAUTHENTICATED', async () => {
  const s = connect('not.a.jwt');
  const status = await s.ended;
  assert.equal(status.code, grpc.status.UNAUTHENTICATED);
});

test('Subscribe: a read-only stream of the joined rooms', async () => {
  const room = newRoom();
  const reader = new StreamReader(client.Subscribe({ rooms: [{ room }] }, bearer(token('node-ivy'))));
  await reader.kind('snapshot');
  await unary(client, 'Publish', { room, type: 'message', payload: json({ text: 'for readers' }) }, bearer(token('node-jack')));
  const event = await reader.kind('event');
  assert.equal(JSON.parse(event.event.payload.toString()).text, 'for readers');
  reader.close();
});

test('traceparent metadata reaches the stored event', async () => {
  const room = newRoom();
  const traceparent = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
  const s = new StreamReader(client.Subscribe({ rooms: [{ room }] }, bearer(token('node-ken'))));
  await s.kind('snapshot');
  await unary(client, 'Publish', { room, type: 'message', payload: json({ text: 't' }) },
    bearer(token('node-ken'), { traceparent }), { deadline: deadline() });
  const event = await s.kind('event');
  assert.equal(event.event.traceparent, traceparent);
  s.close();
});
