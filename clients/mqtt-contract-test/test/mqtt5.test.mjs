// MQTT 5 features as MQTT.js sees them (docs/protocol-mqtt.md, "MQTT 5").
import { test } from 'node:test';
import assert from 'node:assert/strict';
import mqtt from 'mqtt';
import { MQTT_URL, fresh, token } from '../lib/env.mjs';

/** An MQTT 5 client with these CONNECT properties; resolves once connected (with the CONNACK). */
function connect5(sub, properties = {}) {
  return new Promise((resolve, reject) => {
    const client = mqtt.connect(MQTT_URL, {
      protocolVersion: 5,
      clientId: fresh('n5'),
      username: sub,
      password: token(sub),
      clean: true,
      reconnectPeriod: 0,
      connectTimeout: 10_000,
      properties,
    });
    client.once('connect', (connack) => resolve({ client, connack }));
    client.once('error', (err) => {
      client.end(true);
      reject(err);
    });
  });
}

/** Collects messages as {topic, text, packet}. */
function collect(client) {
  const got = [];
  client.on('message', (topic, payload, packet) => got.push({ topic, text: payload.toString('utf8'), packet }));
  return got;
}

async function until(predicate, what, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) {
      throw new Error(`timed out waiting for ${what}`);
    }
    await new Promise((r) => setTimeout(r, 20));
  }
}

test('the CONNACK advertises topic aliases, subscription identifiers and shared subscriptions', async (t) => {
  const { client, connack } = await connect5('caps');
  t.after(() => client.end(true));
  assert.equal(connack.properties.topicAliasMaximum, 32);
  assert.equal(connack.properties.subscriptionIdentifiersAvailable, true);
  assert.equal(connack.properties.sharedSubscriptionAvailable, true);
});

test('a client that allows topic aliases receives them and MQTT.js resolves every topic', async (t) => {
  const base = `n5alias/${fresh('a')}`;
  const { client: receiver } = await connect5('rec', { topicAliasMaximum: 2 });
  const { client: sender } = await connect5('snd');
  t.after(() => { receiver.end(true); sender.end(true); });
  const got = collect(receiver);
  await receiver.subscribeAsync(`${base}/#`, { qos: 1 });
  const topics = ['a', 'b', 'a', 'c', 'a', 'b'].map((x) => `${base}/${x}`);
  for (const [i, topic] of topics.entries()) {
    await sender.publishAsync(topic, `m${i}`, { qos: 1 });
  }
  await until(() => got.length === topics.length, 'six messages');
  assert.deepEqual(got.map((m) => m.topic), topics);
  assert.deepEqual(got.map((m) => m.text), topics.map((_, i) => `m${i}`));
  const aliased = got.filter((m) => m.packet.properties && m.packet.properties.topicAlias);
  assert.ok(aliased.length >= 4, `the server used aliases (${aliased.length} of ${got.length} packets)`);
});

test('a shared subscription gives each message to one member of the group', async (t) => {
  const base = `n5share/${fresh('s')}`;
  const members = await Promise.all([connect5('m1'), connect5('m2')]);
  const { client: sender } = await connect5('boss');
  t.after(() => { members.forEach((m) => m.client.end(true)); sender.end(true); });
  const got = members.map((m) => collect(m.client));
  for (const m of members) {
    await m.client.subscribeAsync(`$share/crew/${base}`, { qos: 1 });
  }
  for (let i = 0; i < 20; i++) {
    await sender.publishAsync(base, `job${i}`, { qos: 1 });
  }
  await until(() => got[0].length + got[1].length === 20, 'twenty jobs');
  const all = [...got[0], ...got[1]].map((m) => m.text).sort();
  assert.equal(new Set(all).size, 20, 'no job twice');
});

test('subscription identifiers come back with the messages they matched', async (t) => {
  const base = `n5subid/${fresh('i')}`;
  const { client } = await connect5('sid');
  t.after(() => client.end(true));
  const got = collect(client);
  await client.subscribeAsync(`${base}/+`, { qos: 1, properties: { subscriptionIdentifier: 42 } });
  await client.publishAsync(`${base}/x`, 'hello', { qos: 1 });
  await until(() => got.length === 1, 'the message');
  assert.deepEqual([got[0].packet.properties.subscriptionIdentifier].flat(), [42]);
});

test('user properties, response topic and correlation data reach a subscriber unaltered', async (t) => {
  const base = `n5props/${fresh('p')}`;
  const { client } = await connect5('props');
  t.after(() => client.end(true));
  const got = collect(client);
  await client.subscribeAsync(base, { qos: 1 });
  await client.publishAsync(base, 'ask', {
    qos: 1,
    properties: {
      responseTopic: `${base}/reply`,
      correlationData: Buffer.from([1, 2, 3]),
      userProperties: { traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01', app: 'demo' },
      contentType: 'text/plain',
    },
  });
  await until(() => got.length === 1, 'the message');
  const p = got[0].packet.properties;
  assert.equal(p.responseTopic, `${base}/reply`);
  assert.deepEqual([...p.correlationData], [1, 2, 3]);
  assert.equal(p.contentType, 'text/plain');
  assert.equal(p.userProperties.app, 'demo');
  assert.equal(p.userProperties.traceparent, '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01');
});
