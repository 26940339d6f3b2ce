// The PlayConnect client: one WebSocket, any number of rooms, and the promise that nothing is
// delivered twice or out of order, across reconnects included.

import { PlayConnectError, ClientCodes } from './errors.js';
import { backoffDelay } from './backoff.js';
import { Emitter } from './emitter.js';
import { RoomState, EventVerdict } from './room.js';
import { PendingPublishes } from './publishes.js';
import { PresenceRequests } from './presence-requests.js';
import { Heartbeat } from './heartbeat.js';
import { TokenRefresh } from './token-refresh.js';
import { checkOptions } from './options.js';
import { resolveWebSocket, withToken, socketClosed } from './socket.js';
import { whyNotReconnect, AUTH_CLOSES } from './close-policy.js';

const ROOM_ID = /^[a-z][a-z0-9_-]{0,31}\.[A-Za-z0-9_-]{1,127}$/;

/**
 * Opens a client. It connects in the background (listen for `open`, or await `ready()`), and
 * reconnects by itself until `close()`.
 */
export function connect(options) {
  return new PlayConnectClient(checkOptions(options));
}

export class PlayConnectClient {
  #o;
  #events;
  #state = 'connecting';
  #ws = null;
  /** Bumped whenever a socket is given up, so its late callbacks are ignored. */
  #socketId = 0;
  #authed = false;
  #everOpen = false;
  #closed = false;
  #attempt = 0;
  #authFailures = 0;
  #user = null;
  #expiresAt = null;
  #WebSocket = null;
  #rooms = new Map();
  #presence;
  #publishes;
  #heartbeat;
  #refresh;
  #reconnectTimer = null;

  constructor(checkedOptions) {
    this.#o = checkedOptions;
    this.#events = new Emitter((error, event) => {
      if (event !== 'error') {
        this.#events.emit('error', error);
      }
    });
    this.#publishes = new PendingPublishes(this.#o, (text) => this.#authed && this.#sendText(text));
    this.#presence = new PresenceRequests(this.#o.requestTimeoutMs);
    this.#heartbeat = new Heartbeat({ intervalMs: this.#o.heartbeatIntervalMs, timeoutMs: this.#o.heartbeatTimeoutMs });
    this.#refresh = new TokenRefresh(() => this.#fetchToken(), this.#o.refreshBeforeMs);
    // After the caller has had the chance to add listeners.
    queueMicrotask(() => this.#attemptConnect());
  }

  /** `connecting`, `open`, `reconnecting` or `closed`. */
  get state() {
    return this.#state;
  }

  /** The user the server authenticated, once open. */
  get user() {
    return this.#user;
  }

  /** When the current token expires (ms since the Unix epoch), once open. */
  get expiresAt() {
    return this.#expiresAt;
  }

  on(event, listener) {
    return this.#events.on(event, listener);
  }

  off(event, listener) {
    this.#events.off(event, listener);
  }

  /** Resolves once the client is open (now, if it is), rejects if it closes first. */
  ready() {
    if (this.#state === 'open') {
      return Promise.resolve();
    }
    if (this.#closed) {
      return Promise.reject(new PlayConnectError(ClientCodes.CLOSED, 'the client is closed', { retry: false }));
    }
    return new Promise((resolve, reject) => {
      const offOpen = this.on('open', () => { offOpen(); offClosed(); resolve(); });
      const offClosed = this.on('closed', ({ code, reason }) => {
        offOpen();
        offClosed();
        reject(new PlayConnectError(ClientCodes.CLOSED, `closed before opening: ${code} ${reason}`,
          { retry: false, closeCode: code }));
      });
    });
  }

  /**
   * Joins a room and keeps it joined across reconnects, resuming from the last seq seen. Resolves
   * once the room is in sync: with `state` after a snapshot, or `recovered: true` after a resume.
   */
  join(room, options = {}) {
    if (typeof room !== 'string' || !ROOM_ID.test(room)) {
      return Promise.reject(new PlayConnectError('bad_room', `not a room id (<kind>.<id>): ${room}`, { retry: false, room }));
    }
    if (this.#closed) {
      return Promise.reject(closedError(room));
    }
    if (this.#rooms.has(room)) {
      return Promise.reject(new PlayConnectError(ClientCodes.INVALID_ARGUMENT, `already joined ${room}; leave it first`,
        { retry: false, room }));
    }
    const { since, epoch, ...handlers } = options;
    if ((since === undefined) !== (epoch === undefined) || (since !== undefined && !(Number.isInteger(since) && since >= 0))) {
      return Promise.reject(new PlayConnectError(ClientCodes.INVALID_ARGUMENT,
        'since (an integer >= 0) and epoch (a string) go together', { retry: false, room }));
    }
    const state = new RoomState(room, handlers, { since, epoch });
    const synced = new Promise((resolve, reject) => { state.firstSync = { resolve, reject }; });
    this.#rooms.set(room, state);
    if (this.#authed) {
      this.#send(state.joinFrame());
    }
    return synced;
  }

  /** Stops following a room. Its pending join, if any, fails with `left`. */
  leave(room) {
    const state = this.#rooms.get(room);
    if (!state) {
      return false;
    }
    this.#rooms.delete(room);
    state.settle(new PlayConnectError(ClientCodes.LEFT, `left ${room}`, { retry: false, room }));
    if (this.#authed) {
      this.#send({ op: 'leave', room });
    }
    return true;
  }

  /** The position a joined room stands at, `{epoch, seq}`, or null before its first sync. */
  position(room) {
    return this.#rooms.get(room)?.position() ?? null;
  }

  /** The members of a joined room as the last presence frames left them. */
  members(room) {
    return [...(this.#rooms.get(room)?.members.values() ?? [])];
  }

  /**
   * Publishes a command; resolves with its ack `{room, seq, epoch, correlationId}` or rejects with
   * a PlayConnectError. Sent again with the same correlationId after a reconnect.
   */
  publish(room, type, payload, options = {}) {
    if (this.#closed) {
      return Promise.reject(closedError(room, options.correlationId));
    }
    if (typeof room !== 'string' || typeof type !== 'string' || type.length === 0) {
      return Promise.reject(new PlayConnectError(ClientCodes.INVALID_ARGUMENT, 'room and type must be strings',
        { retry: false, room, correlationId: options.correlationId }));
    }
    return this.#publishes.add(room, type, payload, options.correlationId, options.timeoutMs ?? this.#o.publishTimeoutMs);
  }

  /** Asks for a room's member list; resolves with `[{user, protocol, connectionId}]`. */
  presence(room) {
    if (this.#closed) {
      return Promise.reject(closedError(room));
    }
    return this.#presence.add(room, () => this.#authed && this.#send({ op: 'presence', room }));
  }

  /** Closes for good; pending operations fail with `closed`. Resolves once the socket is closed. */
  close(code = 1000, reason = 'client closed') {
    if (this.#closed) {
      return Promise.resolve();
    }
    const ws = this.#detachSocket();
    const done = ws ? socketClosed(ws) : Promise.resolve();
    try {
      ws?.close(code, reason);
    } catch {
      // A socket that is already closing needs nothing more.
    }
    this.#finish(code, reason, 'the client was closed');
    return done;
  }

  async #attemptConnect() {
    if (this.#closed) {
      return;
    }
    const id = ++this.#socketId;
    this.#setState('connecting', { attempt: this.#attempt });
    let ws;
    let token;
    try {
      this.#WebSocket ??= await resolveWebSocket(this.#o.WebSocket);
      token = await this.#fetchToken();
      if (id !== this.#socketId) {
        return;
      }
      ws = new this.#WebSocket(this.#o.tokenInUrl ? withToken(this.#o.url, token) : this.#o.url, this.#o.protocols);
    } catch (error) {
      if (id === this.#socketId && !this.#closed) {
        this.#events.emit('error', error);
        this.#connectionLost(1006, `could not connect: ${error?.message ?? error}`);
      }
      return;
    }
    this.#ws = ws;
    ws.onopen = () => {
      if (id === this.#socketId) {
        if (!this.#o.tokenInUrl) {
          this.#send({ op: 'auth', token });
        }
        this.#heartbeat.start(() => this.#send({ op: 'ping' }), (reason) => this.#connectionLost(1006, reason));
      }
    };
    ws.onmessage = (event) => {
      if (id === this.#socketId) {
        this.#onMessage(event.data);
      }
    };
    ws.onclose = (event) => {
      if (id === this.#socketId) {
        this.#connectionLost(event.code, event.reason);
      }
    };
    ws.onerror = () => {
      // A close event always follows, with the code; that is where the client reacts.
    };
  }

  async #fetchToken() {
    if (!this.#o.getToken) {
      return this.#o.token;
    }
    const token = await this.#o.getToken();
    if (typeof token !== 'string' || token.length === 0) {
      throw new TypeError('getToken must resolve to a non-empty string');
    }
    return token;
  }

  #detachSocket() {
    this.#socketId += 1;
    const ws = this.#ws;
    this.#ws = null;
    this.#authed = false;
    this.#heartbeat.stop();
    this.#refresh.stop();
    this.#publishes.pause();
    for (const room of this.#rooms.values()) {
      room.detach();
    }
    return ws;
  }

  #connectionLost(code, reason) {
    const ws = this.#detachSocket();
    if (ws && ws.readyState < 2) {
      try {
        ws.close(4000, 'client gave up on the connection');
      } catch {
        // Already closing.
      }
    }
    if (this.#closed) {
      return;
    }
    const refusal = this.#finalReason(code, reason);
    if (refusal) {
      this.#finish(code, reason, refusal);
      return;
    }
    const delayMs = backoffDelay(this.#attempt, this.#o.reconnect.backoff, this.#o.random);
    this.#attempt += 1;
    this.#setState('reconnecting', { attempt: this.#attempt, delayMs, code, reason });
    this.#reconnectTimer = setTimeout(() => this.#attemptConnect(), delayMs);
  }

  /** Why not to reconnect after this close, or null to reconnect. */
  #finalReason(code, reason) {
    if (AUTH_CLOSES.has(code) && this.#o.getToken) {
      this.#authFailures += 1;
    }
    return whyNotReconnect(code, reason, this.#o, { authFailures: this.#authFailures, attempts: this.#attempt });
  }

  #finish(code, reason, why) {
    this.#closed = true;
    clearTimeout(this.#reconnectTimer);
    this.#detachSocket();
    const error = (room, correlationId) => new PlayConnectError(ClientCodes.CLOSED, `${why} (${code} ${reason})`,
      { retry: correlationId !== undefined, room, correlationId, closeCode: code });
    this.#publishes.failAll((entry) => error(entry.room, entry.id));
    this.#presence.failAll((room) => error(room));
    for (const state of this.#rooms.values()) {
      state.settle(error(state.name));
    }
    this.#setState('closed', { code, reason });
  }

  #setState(state, details) {
    const previous = this.#state;
    this.#state = state;
    if (previous !== state) {
      this.#events.emit('state', { state, previous, ...details });
    }
    this.#events.emit(state, details);
  }

  #send(frame) {
    return this.#sendText(JSON.stringify(frame));
  }

  #sendText(text) {
    const ws = this.#ws;
    if (!ws || ws.readyState !== 1) {
      return false;
    }
    ws.send(text);
    return true;
  }

  #onMessage(data) {
    this.#heartbeat.frameReceived();
    let frame;
    try {
      frame = JSON.parse(typeof data === 'string' ? data : String(data));
    } catch {
      this.#events.emit('error', new PlayConnectError('bad_frame', 'the server sent a frame that is not JSON', { retry: false }));
      return;
    }
    try {
      this.#dispatch(frame);
    } catch (error) {
      // A handler of the application threw: the client itself is still consistent.
      this.#events.emit('error', error);
    }
  }

  #dispatch(frame) {
    switch (frame?.op) {
      case 'authenticated': return this.#onAuthenticated(frame);
      case 'joined': return this.#rooms.get(frame.room)?.onJoined(frame);
      case 'snapshot': return this.#onSnapshot(frame);
      case 'event': return this.#onEvent(frame.event);
      case 'ack': return this.#publishes.acked(frame);
      case 'error': return this.#onError(frame);
      case 'presence': return this.#onPresence(frame);
      default: return undefined; // pong, and ops added after this client was written
    }
  }

  #onAuthenticated(frame) {
    this.#user = frame.user ?? this.#user;
    this.#expiresAt = Number.isFinite(frame.expiresAt) ? frame.expiresAt : null;
    const first = !this.#authed;
    if (first) {
      this.#authed = true;
      this.#authFailures = 0;
      this.#attempt = 0;
      // Rooms first, so events of the re-sent publishes reach their rooms.
      for (const room of this.#rooms.values()) {
        this.#send(room.joinFrame());
      }
      this.#publishes.resendAll();
      for (const room of this.#presence.rooms()) {
        this.#send({ op: 'presence', room });
      }
    }
    this.#scheduleRefresh();
    this.#events.emit('authenticated', { user: this.#user, expiresAt: this.#expiresAt });
    if (first) {
      const reconnected = this.#everOpen;
      this.#everOpen = true;
      this.#setState('open', { user: this.#user, expiresAt: this.#expiresAt, reconnected });
    }
  }

  #onSnapshot(frame) {
    const room = this.#rooms.get(frame.room);
    if (room) {
      for (const early of room.onSnapshot(frame)) {
        this.#onEvent(early);
      }
    }
  }

  #onEvent(event) {
    const room = event && this.#rooms.get(event.room);
    if (!room) {
      return;
    }
    const verdict = room.onEvent(event);
    if (verdict === EventVerdict.GAP && !room.resyncing && this.#authed) {
      // Join again from the last seq delivered: the server replays what is missing.
      room.resyncing = true;
      this.#events.emit('resync', { room: room.name, epoch: room.epoch, seq: room.seq, got: { epoch: event.epoch, seq: event.seq } });
      this.#send(room.joinFrame());
    }
  }

  #onPresence(frame) {
    const room = this.#rooms.get(frame.room);
    const members = room ? room.onPresence(frame) : frame.members;
    if (Array.isArray(frame.members)) {
      this.#presence.answer(frame.room, members);
    }
  }

  #onError(frame) {
    const error = PlayConnectError.fromFrame(frame);
    if (frame.correlationId != null && this.#publishes.refused(error)) {
      return;
    }
    if (frame.room != null && frame.correlationId == null && this.#roomError(frame.room, error)) {
      return;
    }
    if (this.#refresh.inFlight && frame.room == null && frame.correlationId == null) {
      // The refresh was refused; the old token holds until it expires, so try again meanwhile.
      this.#scheduleRefresh(this.#refresh.retryDelay());
    }
    this.#events.emit('error', error);
  }

  /** An error about a room that answers no command: a presence request, or the room's membership. */
  #roomError(name, error) {
    if (this.#presence.fail(name, error)) {
      return true;
    }
    const room = this.#rooms.get(name);
    if (!room) {
      return false;
    }
    if (error.retry) {
      setTimeout(() => this.#rooms.get(name) === room && this.#authed && this.#send(room.joinFrame()),
        backoffDelay(0, this.#o.reconnect.backoff, this.#o.random));
      return true;
    }
    // The join was refused, or the server left the room for us (a refreshed token without the scope).
    this.#rooms.delete(name);
    room.settle(error);
    room.onError(error);
    return true;
  }

  #scheduleRefresh(delayMs) {
    if (!this.#o.getToken || this.#expiresAt == null) {
      this.#refresh.stop();
      return;
    }
    this.#refresh.schedule(this.#expiresAt, (token) => this.#authed && this.#send({ op: 'auth', token }),
      (error) => this.#events.emit('error', error), delayMs);
  }
}

function closedError(room, correlationId) {
  return new PlayConnectError(ClientCodes.CLOSED, 'the client is closed', { retry: false, room, correlationId });
}
