// The HTTP server API under /api/v1 with Node's fetch.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { HTTP_URL, token, newRoom } from '../lib/env.mjs';

async function call(method, path, { jwt, body, headers = {} } = {}) {
  const res = await fetch(`${HTTP_URL}${path}`, {
    method,
    headers: { ...(jwt ? { authorization: `Bearer ${jwt}` } : {}), ...(body ? { 'content-type': 'application/json' } : {}), ...headers },
    body,
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, json: text ? JSON.parse(text) : null };
}

test('publish, snapshot, presence and typed JSON errors', async () => {
  const room = newRoom();
  const jwt = token('node-legacy');
  const body = JSON.stringify({ room, type: 'message', payload: { text: 'dual write' }, correlationId: 'legacy-1' });
  const ack = await call('POST', '/api/v1/publish', { jwt, body });
  assert.equal(ack.status, 200);
  assert.deepEqual({ correlationId: ack.json.correlationId, seq: ack.json.seq }, { correlationId: 'legacy-1', seq: 1 });
  assert.equal((await call('POST', '/api/v1/publish', { jwt, body })).json.seq, 1, 'idempotent retry');

  const snapshot = await call('GET', `/api/v1/snapshot?room=${room}`, { jwt });
  assert.equal(snapshot.status, 200);
  assert.equal(snapshot.json.state.messages[0].text, 'dual write');
  const presence = await call('GET', `/api/v1/presence?room=${room}`, { jwt });
  assert.deepEqual(presence.json, { room, members: [] });

  const noToken = await call('POST', '/api/v1/publish', { body });
  assert.equal(noToken.status, 401);
  assert.deepEqual(Object.keys(noToken.json).sort(), ['code', 'message', 'retry']);
  assert.equal(noToken.json.code, 'unauthenticated');
  const illegal = await call('POST', '/api/v1/publish', {
    jwt, body: JSON.stringify({ room: newRoom('game'), type: 'move', payload: { move: 'e5' } }) });
  assert.equal(illegal.status, 409);
  assert.equal(illegal.json.code, 'illegal_move');
});

test('batch publish for dual writes', async () => {
  const room = newRoom();
  const commands = [1, 2, 3].map((n) => ({ room, type: 'message', payload: { text: `m${n}` }, correlationId: `b-${n}` }));
  const res = await call('POST', '/api/v1/publish/batch', { jwt: token('node-batch'), body: JSON.stringify({ commands }) });
  assert.equal(res.status, 200);
  assert.deepEqual(res.json.results.map((r) => [r.index, r.ok, r.seq]), [[0, true, 1], [1, true, 2], [2, true, 3]]);
});

test('the OpenAPI document is served', async () => {
  const doc = await call('GET', '/api/v1/openapi.json');
  assert.equal(doc.status, 200);
  assert.match(doc.json.openapi, /^3\./);
  assert.ok(doc.json.paths['/api/v1/publish'].post);
});
