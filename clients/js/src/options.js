// The options of connect(), checked once with the option's name in every message.

import { backoffOptions } from './backoff.js';

export const SUBPROTOCOL = 'playconnect.v1';

export const DEFAULTS = Object.freeze({
  protocols: [SUBPROTOCOL],
  tokenInUrl: false,
  publishTimeoutMs: 15_000,
  publishRetries: 5,
  requestTimeoutMs: 10_000,
  heartbeatIntervalMs: 15_000,
  heartbeatTimeoutMs: 10_000,
  refreshBeforeMs: 60_000,
  maxAuthFailures: 3,
  /** One text frame may hold the payload limit plus 4 KiB (docs/protocol-websocket.md, "Limits"). */
  maxFrameBytes: 64 * 1024 + 4 * 1024,
});

function nonNegative(o, name) {
  const value = o[name];
  if (!Number.isFinite(value) || value < 0) {
    throw new RangeError(`${name} must be a finite number >= 0: ${value}`);
  }
}

/** Checks connect()'s options and fills in the defaults. */
export function checkOptions(options) {
  if (options == null || typeof options !== 'object') {
    throw new TypeError('connect() needs an options object with url and token or getToken');
  }
  const o = { ...DEFAULTS, ...options };
  if (typeof o.url !== 'string' && !(o.url instanceof URL)) {
    throw new TypeError(`url must be a ws:// or wss:// URL string: ${o.url}`);
  }
  const url = new URL(String(o.url));
  if (url.protocol !== 'ws:' && url.protocol !== 'wss:') {
    throw new TypeError(`url must use ws: or wss:, not ${url.protocol}`);
  }
  o.url = url.toString();
  const hasToken = typeof o.token === 'string' && o.token.length > 0;
  const hasGetter = typeof o.getToken === 'function';
  if (hasToken === hasGetter) {
    throw new TypeError('exactly one of token (a non-empty string) and getToken (an async function) is needed');
  }
  for (const name of ['publishTimeoutMs', 'publishRetries', 'requestTimeoutMs', 'heartbeatIntervalMs',
    'heartbeatTimeoutMs', 'refreshBeforeMs', 'maxAuthFailures', 'maxFrameBytes']) {
    nonNegative(o, name);
  }
  if (o.WebSocket !== undefined && typeof o.WebSocket !== 'function') {
    throw new TypeError('WebSocket must be a WebSocket constructor');
  }
  if (o.shouldReconnect !== undefined && typeof o.shouldReconnect !== 'function') {
    throw new TypeError('shouldReconnect must be a function (code, reason) => boolean');
  }
  const reconnect = o.reconnect === false ? { enabled: false } : { enabled: true, ...(o.reconnect ?? {}) };
  const maxAttempts = reconnect.maxAttempts ?? Infinity;
  if (!(maxAttempts >= 0)) {
    throw new RangeError(`reconnect.maxAttempts must be >= 0: ${maxAttempts}`);
  }
  const { enabled, maxAttempts: ignored, ...backoff } = reconnect;
  o.reconnect = { enabled, maxAttempts, backoff: backoffOptions(backoff) };
  o.random = typeof o.random === 'function' ? o.random : Math.random;
  return o;
}
