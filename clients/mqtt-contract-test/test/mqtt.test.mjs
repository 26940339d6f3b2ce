// The MQTT mapping of docs/protocol-mqtt.md, from outside the JVM, with MQTT.js.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { WS_URL, connect, fresh, nextMessage, token } from '../lib/env.mjs';

function chatOnlyToken(sub) {
  return token(sub, { 'chat.*': ['subscribe', 'publish'] });
}

test('a move published to game/<id>/move reaches a subscriber as the stored envelope', async (t) => {
  const game = fresh('g');
  const watcher = await connect('watcher');
  const player = await connect('player', { version: 5 });
  t.after(() => { watcher.end(true); player.end(true); });

  // The state may arrive before the SUBACK (the server sends it once the room is joined).
  const joined = nextMessage(watcher);
  await watcher.subscribeAsync(`game/${game}/#`, { qos: 1 });
  const state = await joined;
  assert.equal(state.topic, `game/${game}/state`);
  assert.equal(JSON.parse(state.text).seq, 0);

  const arrived = nextMessage(watcher);
  await player.publishAsync(`game/${game}/move`, '{"move":"e4"}', { qos: 1 });
  const event = await arrived;
  assert.equal(event.topic, `game/${game}/move`);
  const envelope = JSON.parse(event.text);
  assert.equal(envelope.v, 1);
  assert.equal(envelope.type, 'game.move');
  assert.equal(envelope.room, `game.${game}`);
  assert.equal(envelope.seq, 1);
  assert.equal(envelope.payload.move, 'e4');
  assert.equal(envelope.payload.san, 'e4');
  assert.deepEqual(envelope.origin, { protocol: 'mqtt', user: 'player' });
});

test('a bad token is refused with CONNACK 0x05 (3.1.1) and 0x87 (5)', async () => {
  await assert.rejects(connect('x', { password: 'not-a-jwt' }), (err) => err.code === 5);
  await assert.rejects(connect('x', { version: 5, password: 'not-a-jwt' }), (err) => err.code === 0x87);
});

test('an illegal move gets PUBACK 0x83 on MQTT 5 and an error on the error topic on 3.1.1', async (t) => {
  const game = fresh('g');
  const v5 = await connect('v5player', { version: 5 });
  const clientId = fresh('v3player');
  const v3 = await connect('v3player', { clientId });
  t.after(() => { v5.end(true); v3.end(true); });

  await assert.rejects(v5.publishAsync(`game/${game}/move`, '{"move":"e5"}', { qos: 1 }),
    (err) => err.code === 0x83);

  await v3.subscribeAsync(`$playconnect/errors/${clientId}`, { qos: 1 });
  const error = nextMessage(v3);
  await v3.publishAsync(`game/${game}/move`, '{"move":"e5"}', { qos: 1 });
  const { topic, text } = await error;
  assert.equal(topic, `$playconnect/errors/${clientId}`);
  const body = JSON.parse(text);
  assert.equal(body.code, 'illegal_move');
  assert.equal(body.retry, false);
  assert.match(body.correlationId, new RegExp(`^mqtt:${clientId}:`));
});

test('subscribing without the scope is refused in the SUBACK', async (t) => {
  const client = await connect('chatter', { version: 5 });
  t.after(() => client.end(true));
  const granted = await client.subscribeAsync(`game/${fresh('g')}/+`, { qos: 1 });
  assert.equal(granted[0].qos, 1);
  const limited = await connect('limited', { password: chatOnlyToken('limited'), version: 5 });
  t.after(() => limited.end(true));
  await assert.rejects(limited.subscribeAsync(`game/${fresh('g')}/#`, { qos: 1 }),
    (err) => err.packet.granted[0] === 0x87);
});

test('plain topics are pub/sub between clients', async (t) => {
  const a = await connect('a');
  const b = await connect('b');
  t.after(() => { a.end(true); b.end(true); });
  const base = fresh('sensors');
  await a.subscribeAsync(`${base}/+/temp`, { qos: 1 });
  const got = nextMessage(a);
  await b.publishAsync(`${base}/kitchen/temp`, '21.5', { qos: 1 });
  const m = await got;
  assert.equal(m.topic, `${base}/kitchen/temp`);
  assert.equal(m.text, '21.5');
});

test('MQTT over WebSocket', { skip: !WS_URL && 'PLAYCONNECT_MQTT_WS_URL not set' }, async (t) => {
  const room = fresh('c');
  const client = await connect('wsuser', { url: WS_URL });
  t.after(() => client.end(true));
  await client.subscribeAsync(`chat/${room}/message`, { qos: 1 });
  const got = nextMessage(client);
  await client.publishAsync(`chat/${room}/message`, '{"text":"hi"}', { qos: 1 });
  assert.equal(JSON.parse((await got).text).payload.text, 'hi');
});
