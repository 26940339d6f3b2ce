// A small in-process stand-in for the PlayConnect WebSocket gateway (docs/protocol-websocket.md),
// for the client's unit tests: the same frames, plus switches a real server does not have (lose an
// event, deliver twice, swallow acks, stop answering) so every recovery path can be forced.
import { WebSocketServer } from 'ws';

let epochs = 0;

export class FakeServer {
  /** Every frame received, in order, as `{connection, frame}`. */
  frames = [];
  /** Tokens the server accepts, mapped to their user. */
  tokens = new Map();
  /** Lifetime reported in `authenticated.expiresAt`. */
  tokenTtlMs = 3_600_000;
  /** Live events to leave out (by seq) once each, to make a gap. */
  loseLive = new Set();
  /** Send every live event twice. */
  deliverTwice = false;
  /** Answer no publish (the command is still applied), as if acks were lost. */
  swallowAcks = false;
  /** Answer nothing at all, as if the network went quiet. */
  silent = false;
  /** Refuse the next publishes with these errors (`{code, retry}`), one each. */
  refusals = [];
  rooms = new Map();
  connections = new Set();
  #server;
  #nextConnection = 0;

  static async start() {
    const fake = new FakeServer();
    fake.#server = new WebSocketServer({ host: '127.0.0.1', port: 0, handleProtocols: (p) => (p.has('playconnect.v1') ? 'playconnect.v1' : false) });
    await new Promise((resolve) => fake.#server.once('listening', resolve));
    fake.#server.on('connection', (ws) => fake.#accept(ws));
    return fake;
  }

  get url() {
    return `ws://127.0.0.1:${this.#server.address().port}/ws`;
  }

  /** The frames with this op, in order. */
  received(op) {
    return this.frames.filter((f) => f.frame.op === op).map((f) => f.frame);
  }

  room(name) {
    let room = this.rooms.get(name);
    if (!room) {
      room = { name, epoch: `e${++epochs}`, events: [], applied: new Map(), subscribers: new Set() };
      this.rooms.set(name, room);
    }
    return room;
  }

  /** Forgets every room's history, as an in-memory server does on restart (new epochs). */
  resetRooms() {
    this.rooms.clear();
  }

  /** Appends an event as if another client had published it. */
  inject(roomName, type, payload, user = 'someone') {
    return this.#append(this.room(roomName), { type, payload, correlationId: null }, user);
  }

  /** Cuts every connection without a close frame (the client sees 1006). */
  dropAll() {
    for (const c of this.connections) {
      c.ws.terminate();
    }
  }

  closeAll(code, reason) {
    for (const c of this.connections) {
      c.ws.close(code, reason);
    }
  }

  async stop() {
    this.dropAll();
    await new Promise((resolve) => this.#server.close(resolve));
  }

  #accept(ws) {
    const connection = { id: `conn-${++this.#nextConnection}`, ws, user: null, rooms: new Set() };
    this.connections.add(connection);
    ws.on('message', (data) => this.#onFrame(connection, JSON.parse(data.toString('utf8'))));
    ws.on('close', () => {
      this.connections.delete(connection);
      for (const name of connection.rooms) {
        this.#leave(connection, this.room(name));
      }
    });
  }

  #send(connection, frame) {
    if (!this.silent && connection.ws.readyState === 1) {
      connection.ws.send(JSON.stringify(frame));
    }
  }

  #onFrame(connection, frame) {
    this.frames.push({ connection: connection.id, frame });
    if (frame.op !== 'auth' && connection.user === null) {
      return;
    }
    switch (frame.op) {
      case 'auth': return this.#auth(connection, frame);
      case 'join': return this.#join(connection, frame);
      case 'leave': return this.#leave(connection, this.room(frame.room));
      case 'publish': return this.#publish(connection, frame);
      case 'presence': return this.#send(connection, { op: 'presence', room: frame.room, members: this.#members(this.room(frame.room)) });
      case 'ping': return this.#send(connection, { op: 'pong' });
      default: return this.#send(connection, { op: 'error', code: 'unknown_op', message: `no op ${frame.op}`, retry: false });
    }
  }

  #auth(connection, frame) {
    const user = this.tokens.get(frame.token);
    if (!user) {
      if (connection.user === null) {
        connection.ws.close(4001, 'unauthenticated: token refused');
      } else {
        this.#send(connection, { op: 'error', code: 'unauthenticated', message: 'token refused', retry: false });
      }
      return;
    }
    connection.user = user;
    this.#send(connection, { op: 'authenticated', user, expiresAt: Date.now() + this.tokenTtlMs });
  }

  #join(connection, frame) {
    if (frame.room.startsWith('secret.')) {
      this.#send(connection, { op: 'error', code: 'forbidden', message: `no subscribe scope for ${frame.room}`, room: frame.room, retry: false });
      return;
    }
    const room = this.room(frame.room);
    const resumable = frame.epoch === room.epoch && Number.isInteger(frame.since) && frame.since <= room.events.length;
    if (resumable) {
      this.#send(connection, { op: 'joined', room: room.name, epoch: room.epoch, seq: frame.since, recovered: true });
      room.events.slice(frame.since).forEach((event) => this.#send(connection, { op: 'event', event }));
    } else {
      const seq = room.events.length;
      this.#send(connection, { op: 'joined', room: room.name, epoch: room.epoch, seq, recovered: false });
      this.#send(connection, { op: 'snapshot', room: room.name, epoch: room.epoch, seq, state: { count: seq } });
    }
    const already = room.subscribers.has(connection);
    room.subscribers.add(connection);
    connection.rooms.add(room.name);
    const me = { user: connection.user, protocol: 'websocket', connectionId: connection.id };
    this.#send(connection, { op: 'presence', room: room.name, members: this.#members(room) });
    if (!already) {
      for (const other of room.subscribers) {
        if (other !== connection) {
          this.#send(other, { op: 'presence', room: room.name, joined: me });
        }
      }
    }
  }

  #leave(connection, room) {
    if (!room.subscribers.delete(connection)) {
      return;
    }
    connection.rooms.delete(room.name);
    const me = { user: connection.user, protocol: 'websocket', connectionId: connection.id };
    for (const other of room.subscribers) {
      this.#send(other, { op: 'presence', room: room.name, left: me });
    }
  }

  #members(room) {
    return [...room.subscribers].map((c) => ({ user: c.user, protocol: 'websocket', connectionId: c.id }));
  }

  #publish(connection, frame) {
    const room = this.room(frame.room);
    const key = `${connection.user}/${frame.correlationId}`;
    let seq = room.applied.get(key);
    if (seq === undefined) {
      const refusal = this.refusals.shift();
      if (refusal) {
        this.#send(connection, { op: 'error', ...refusal, message: refusal.code, correlationId: frame.correlationId, room: room.name });
        return;
      }
      seq = this.#append(room, frame, connection.user).seq;
      room.applied.set(key, seq);
    }
    if (!this.swallowAcks) {
      this.#send(connection, { op: 'ack', correlationId: frame.correlationId, seq, room: room.name, epoch: room.epoch });
    }
  }

  #append(room, command, user) {
    const seq = room.events.length + 1;
    const event = {
      v: 1, id: `${room.epoch}-${seq}`, type: command.type, room: room.name, seq, epoch: room.epoch, ts: Date.now(),
      correlationId: command.correlationId ?? null, traceparent: null, origin: { protocol: 'websocket', user }, payload: command.payload,
    };
    room.events.push(event);
    const lose = this.loseLive.delete(seq);
    for (const subscriber of room.subscribers) {
      if (!lose) {
        this.#send(subscriber, { op: 'event', event });
        if (this.deliverTwice) {
          this.#send(subscriber, { op: 'event', event });
        }
      }
    }
    return event;
  }
}

/** Resolves when `predicate()` holds (checked every 5 ms); rejects after `ms`. */
export async function until(predicate, ms = 5000, what = 'condition') {
  const deadline = Date.now() + ms;
  while (!predicate()) {
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/** Resolves with the next value of `client`'s `event` that matches; rejects after `ms`. */
export function nextEvent(client, event, predicate = () => true, ms = 5000) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => { off(); reject(new Error(`no '${event}' within ${ms} ms`)); }, ms);
    const off = client.on(event, (value) => {
      if (predicate(value)) {
        clearTimeout(timer);
        off();
        resolve(value);
      }
    });
  });
}
