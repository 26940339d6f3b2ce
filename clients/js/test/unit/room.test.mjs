import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RoomState, EventVerdict } from '../../src/room.js';
import { seeded, caseSeed } from '../support/random.mjs';

const event = (seq, epoch = 'E') => ({ v: 1, room: 'chat.a', seq, epoch, type: 'chat.message', payload: { n: seq } });

function syncedRoom(delivered, position = { epoch: 'E', since: 0 }) {
  const room = new RoomState('chat.a', { onEvent: (e) => delivered.push(e.seq) }, position);
  room.onJoined({ room: 'chat.a', epoch: 'E', seq: position.since ?? 0, recovered: true });
  return room;
}

test('the next seq is delivered, an old one is a duplicate, a later one or another epoch is a gap', () => {
  const delivered = [];
  const room = syncedRoom(delivered);
  assert.equal(room.onEvent(event(1)), EventVerdict.DELIVERED);
  assert.equal(room.onEvent(event(1)), EventVerdict.DUPLICATE);
  assert.equal(room.onEvent(event(3)), EventVerdict.GAP);
  assert.equal(room.onEvent(event(2, 'OTHER')), EventVerdict.GAP);
  assert.equal(room.onEvent(event(2)), EventVerdict.DELIVERED);
  assert.deepEqual(delivered, [1, 2]);
  assert.deepEqual(room.position(), { epoch: 'E', seq: 2 });
});

test('a join frame names the position only when both epoch and seq are known', () => {
  assert.deepEqual(new RoomState('chat.a', {}, {}).joinFrame(), { op: 'join', room: 'chat.a' });
  assert.deepEqual(new RoomState('chat.a', {}, { epoch: 'E', since: 4 }).joinFrame(), { op: 'join', room: 'chat.a', since: 4, epoch: 'E' });
});

test('events that come before the snapshot are held and then delivered after it, without the ones it covers', () => {
  const delivered = [];
  const snapshots = [];
  const room = new RoomState('chat.a', { onEvent: (e) => delivered.push(e.seq), onSnapshot: (s, info) => snapshots.push([s, info.seq]) }, {});
  room.onJoined({ room: 'chat.a', epoch: 'E', seq: 5, recovered: false });
  assert.equal(room.onEvent(event(5)), EventVerdict.BUFFERED);
  assert.equal(room.onEvent(event(6)), EventVerdict.BUFFERED);
  const early = room.onSnapshot({ room: 'chat.a', epoch: 'E', seq: 5, state: { count: 5 } });
  early.forEach((e) => room.onEvent(e));
  assert.deepEqual(snapshots, [[{ count: 5 }, 5]]);
  assert.deepEqual(delivered, [6]);
});

// Property: whatever the network does to a stream (duplicates, losses, reordering), a client that
// rejoins from its position on every gap, against a server that replays from there, delivers
// every seq exactly once and in order.
test('delivery is exactly once and in order under random duplication, loss and reordering', () => {
  for (let i = 0; i < 300; i += 1) {
    const seed = caseSeed(i);
    const random = seeded(seed);
    const total = 1 + Math.floor(random() * 60);
    const delivered = [];
    const room = syncedRoom(delivered);
    let queue = mangle(range(1, total), random);
    let rejoins = 0;
    while (queue.length || room.position().seq < total) {
      // A lost tail shows only when something newer arrives, as a later live event eventually does.
      const next = queue.length ? queue.shift() : total;
      if (room.onEvent(event(next)) === EventVerdict.GAP) {
        // The client rejoins from room.seq; the server answers with the rest, which the network may mangle again.
        rejoins += 1;
        const { seq } = room.position();
        room.onJoined({ room: 'chat.a', epoch: 'E', seq, recovered: true });
        queue = rejoins > 50 ? range(seq + 1, total) : mangle(range(seq + 1, total), random);
      }
    }
    assert.deepEqual(delivered, range(1, total), `seed ${seed}: delivered ${delivered}`);
  }
});

test('presence keeps the member list from the full list, joins and leaves', () => {
  const updates = [];
  const room = new RoomState('chat.a', { onPresence: (u) => updates.push(u.members.map((m) => m.user).sort()) }, {});
  room.onPresence({ room: 'chat.a', members: [{ user: 'a', protocol: 'websocket', connectionId: '1' }] });
  room.onPresence({ room: 'chat.a', joined: { user: 'b', protocol: 'mqtt', connectionId: '2' } });
  room.onPresence({ room: 'chat.a', left: { user: 'a', protocol: 'websocket', connectionId: '1' } });
  assert.deepEqual(updates, [['a'], ['a', 'b'], ['b']]);
});

function range(from, to) {
  return Array.from({ length: Math.max(0, to - from + 1) }, (_, k) => from + k);
}

function mangle(seqs, random) {
  const out = [];
  for (const seq of seqs) {
    const r = random();
    if (r < 0.1) {
      continue; // lost
    }
    out.push(seq);
    if (r > 0.9) {
      out.push(seq); // duplicated
    }
  }
  for (let k = 0; k < out.length - 1; k += 1) {
    if (random() < 0.1) {
      [out[k], out[k + 1]] = [out[k + 1], out[k]];
    }
  }
  return out;
}
