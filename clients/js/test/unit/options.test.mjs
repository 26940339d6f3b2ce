import { test } from 'node:test';
import assert from 'node:assert/strict';
import { connect, PlayConnectError, ClientCodes } from '../../src/index.js';
import { checkOptions, DEFAULTS } from '../../src/options.js';

test('connect refuses bad options with the option name in the message', () => {
  assert.throws(() => connect(), /options object/);
  assert.throws(() => connect({ url: 'http://x/ws', token: 't' }), /ws: or wss:/);
  assert.throws(() => connect({ url: 'ws://x/ws' }), /exactly one of token/);
  assert.throws(() => connect({ url: 'ws://x/ws', token: 't', getToken: async () => 't' }), /exactly one of token/);
  assert.throws(() => connect({ url: 'ws://x/ws', token: 't', publishTimeoutMs: -5 }), /publishTimeoutMs/);
  assert.throws(() => connect({ url: 'ws://x/ws', token: 't', WebSocket: 'nope' }), /WebSocket must be/);
  assert.throws(() => connect({ url: 'ws://x/ws', token: 't', reconnect: { maxAttempts: -1 } }), /reconnect.maxAttempts/);
  assert.throws(() => connect({ url: 'ws://x/ws', token: 't', reconnect: { jitter: 3 } }), /jitter/);
});

test('defaults fill in what is not given, and reconnect: false turns reconnecting off', () => {
  const o = checkOptions({ url: 'ws://127.0.0.1:1/ws', token: 't' });
  assert.equal(o.publishTimeoutMs, DEFAULTS.publishTimeoutMs);
  assert.deepEqual(o.protocols, ['playconnect.v1']);
  assert.equal(o.reconnect.enabled, true);
  assert.equal(o.reconnect.maxAttempts, Infinity);
  assert.equal(checkOptions({ url: 'ws://h/ws', token: 't', reconnect: false }).reconnect.enabled, false);
});

test('PlayConnectError carries code, retry and correlationId, and knows which server codes are retryable', () => {
  const fromFrame = PlayConnectError.fromFrame({ op: 'error', code: 'illegal_move', message: 'e5 is not legal', correlationId: 'c-1', room: 'game.1', retry: false });
  assert.ok(fromFrame instanceof Error);
  assert.equal(fromFrame.name, 'PlayConnectError');
  assert.deepEqual([fromFrame.code, fromFrame.message, fromFrame.retry, fromFrame.correlationId, fromFrame.room],
    ['illegal_move', 'e5 is not legal', false, 'c-1', 'game.1']);
  assert.equal(PlayConnectError.fromFrame({ code: 'outcome_unknown', message: 'm' }).retry, true);
  assert.equal(PlayConnectError.fromFrame({ code: 'forbidden', message: 'm' }).retry, false);
  assert.equal(PlayConnectError.fromFrame({ code: 'rate_limited', message: 'm', retry: false }).retry, false);
  assert.equal(ClientCodes.TIMEOUT, 'timeout');
});

test('reconnecting follows the close code, the token source, the attempts left and shouldReconnect', async () => {
  const { whyNotReconnect } = await import('../../src/close-policy.js');
  const withGetter = checkOptions({ url: 'ws://h/ws', getToken: () => 't', reconnect: { maxAttempts: 3 } });
  const fixed = checkOptions({ url: 'ws://h/ws', token: 't' });
  const fresh = { authFailures: 1, attempts: 0 };
  assert.equal(whyNotReconnect(1006, '', fixed, fresh), null);
  assert.equal(whyNotReconnect(1001, 'draining', fixed, fresh), null);
  assert.equal(whyNotReconnect(1013, 'overloaded', fixed, fresh), null);
  assert.match(whyNotReconnect(4004, 'kicked', fixed, fresh), /does not fix/);
  assert.match(whyNotReconnect(1003, '', fixed, fresh), /does not fix/);
  assert.match(whyNotReconnect(4002, 'expired', fixed, fresh), /no getToken/);
  assert.equal(whyNotReconnect(4002, 'expired', withGetter, fresh), null);
  assert.match(whyNotReconnect(4001, '', withGetter, { authFailures: 4, attempts: 0 }), /4 tokens in a row/);
  assert.match(whyNotReconnect(1006, '', withGetter, { authFailures: 0, attempts: 3 }), /no reconnect attempts left/);
  const vetoing = checkOptions({ url: 'ws://h/ws', token: 't', shouldReconnect: (code) => code !== 1013 });
  assert.match(whyNotReconnect(1013, 'overloaded', vetoing, fresh), /shouldReconnect/);
  assert.match(whyNotReconnect(1006, '', checkOptions({ url: 'ws://h/ws', token: 't', reconnect: false }), fresh), /no reconnect attempts/);
});
