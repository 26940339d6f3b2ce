// Publishes that have no answer yet, by correlationId, in the order they were made. They outlive
// a connection: after a reconnect each is sent again with the same correlationId, and the server's
// de-duplication makes sure it applies at most once.

import { PlayConnectError, ClientCodes } from './errors.js';
import { backoffDelay } from './backoff.js';

const encoder = new TextEncoder();

/** A correlationId no other client is likely to pick. */
export function newCorrelationId() {
  const c = globalThis.crypto;
  if (c && typeof c.randomUUID === 'function') {
    return `c-${c.randomUUID()}`;
  }
  // randomUUID is missing outside secure contexts (a page on plain http from another host).
  const bytes = new Uint8Array(16);
  c.getRandomValues(bytes);
  return `c-${Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')}`;
}

export class PendingPublishes {
  #byId = new Map();
  #options;
  #send;

  /**
   * @param {object} options the client's checked options
   * @param {(frameText: string) => boolean} send writes a frame if the connection is ready
   */
  constructor(options, send) {
    this.#options = options;
    this.#send = send;
  }

  get size() {
    return this.#byId.size;
  }

  /** Registers a publish and sends it when the connection is ready; resolves with its ack. */
  add(room, type, payload, correlationId, timeoutMs) {
    const id = correlationId ?? newCorrelationId();
    if (typeof id !== 'string' || id.length === 0 || id.length > 128) {
      return Promise.reject(invalid(`correlationId must be a string of 1 to 128 characters: ${id}`, id));
    }
    if (this.#byId.has(id)) {
      return Promise.reject(invalid(`a publish with correlationId ${id} is already waiting for its answer`, id));
    }
    if (payload === undefined) {
      return Promise.reject(invalid('payload must be a JSON value (use {} for none)', id));
    }
    const text = JSON.stringify({ op: 'publish', room, type, payload, correlationId: id });
    if (encoder.encode(text).length > this.#options.maxFrameBytes) {
      return Promise.reject(new PlayConnectError('payload_too_large',
        `the publish frame is over ${this.#options.maxFrameBytes} bytes`, { retry: false, correlationId: id, room }));
    }
    return new Promise((resolve, reject) => {
      const entry = { id, room, text, resolve, reject, retries: 0, retryTimer: null };
      entry.timer = setTimeout(() => this.#fail(entry, new PlayConnectError(ClientCodes.TIMEOUT,
        `no answer to ${type} in ${room} within ${timeoutMs} ms; retry with the same correlationId`,
        { retry: true, correlationId: id, room })), timeoutMs);
      this.#byId.set(id, entry);
      this.#send(text);
    });
  }

  /** Sends every waiting publish again, oldest first (after a reconnect). */
  resendAll() {
    for (const entry of this.#byId.values()) {
      clearTimeout(entry.retryTimer);
      entry.retryTimer = null;
      this.#send(entry.text);
    }
  }

  /** The connection is gone: retries wait for the next one, which resends everything. */
  pause() {
    for (const entry of this.#byId.values()) {
      clearTimeout(entry.retryTimer);
      entry.retryTimer = null;
    }
  }

  /** @returns {boolean} whether the ack answered a waiting publish */
  acked(frame) {
    const entry = this.#byId.get(frame.correlationId);
    if (!entry) {
      return false;
    }
    this.#remove(entry);
    entry.resolve({ room: frame.room ?? entry.room, seq: frame.seq, epoch: frame.epoch, correlationId: entry.id });
    return true;
  }

  /**
   * An `error` answering a waiting publish: retried (same correlationId, with backoff) when the
   * server says a retry may succeed, otherwise the publish fails with it.
   * @returns {boolean} whether the error answered a waiting publish
   */
  refused(error) {
    const entry = this.#byId.get(error.correlationId);
    if (!entry) {
      return false;
    }
    if (error.retry && entry.retries < this.#options.publishRetries) {
      const delay = backoffDelay(entry.retries, this.#options.reconnect.backoff, this.#options.random);
      entry.retries += 1;
      clearTimeout(entry.retryTimer);
      entry.retryTimer = setTimeout(() => {
        entry.retryTimer = null;
        if (this.#byId.get(entry.id) === entry) {
          this.#send(entry.text);
        }
      }, delay);
      return true;
    }
    this.#fail(entry, error);
    return true;
  }

  /** Fails every waiting publish (the client is closed for good). */
  failAll(makeError) {
    for (const entry of [...this.#byId.values()]) {
      this.#fail(entry, makeError(entry));
    }
  }

  #fail(entry, error) {
    if (this.#byId.get(entry.id) !== entry) {
      return;
    }
    this.#remove(entry);
    entry.reject(error);
  }

  #remove(entry) {
    clearTimeout(entry.timer);
    clearTimeout(entry.retryTimer);
    this.#byId.delete(entry.id);
  }
}

function invalid(message, correlationId) {
  return new PlayConnectError(ClientCodes.INVALID_ARGUMENT, message, { retry: false, correlationId });
}
