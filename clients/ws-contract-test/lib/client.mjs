// A test client over the `ws` package: every server message is kept in order, and tests wait for
// the next one that matches, so they never depend on timing.
import WebSocket from 'ws';

export const SUBPROTOCOL = 'playconnect.v1';
const DEFAULT_WAIT_MS = 5000;

export class ContractClient {
  constructor(ws) {
    this.ws = ws;
    this.messages = [];
    this.waiters = [];
    this.closed = null;
    ws.on('message', (data, isBinary) => {
      const text = isBinary ? null : data.toString('utf8');
      const message = text === null ? { op: '<binary>' } : JSON.parse(text);
      // The frame as sent, for checks on exact bytes (payloads must arrive verbatim).
      Object.defineProperty(message, 'raw', { value: text, enumerable: false });
      this.messages.push(message);
      this.#wake();
    });
    ws.on('close', (code, reason) => {
      this.closed = { code, reason: reason.toString('utf8') };
      this.#wake();
    });
  }

  /** Opens a connection; `token` goes on the URL when given. */
  static async connect(url, { token, protocols = [SUBPROTOCOL], headers } = {}) {
    const target = new URL(url);
    if (token) {
      target.searchParams.set('token', token);
    }
    const ws = new WebSocket(target, protocols, { headers, perMessageDeflate: false });
    const client = new ContractClient(ws);
    await new Promise((resolve, reject) => {
      ws.once('open', resolve);
      ws.once('unexpected-response', (req, res) => reject(Object.assign(
        new Error(`handshake refused with HTTP ${res.statusCode}`), { statusCode: res.statusCode })));
      ws.once('error', reject);
    });
    return client;
  }

  send(frame) {
    this.ws.send(typeof frame === 'string' ? frame : JSON.stringify(frame));
  }

  /** Removes and returns the first kept message matching `predicate`, waiting for it if needed. */
  next(predicate = () => true, waitMs = DEFAULT_WAIT_MS) {
    return new Promise((resolve, reject) => {
      const waiter = { predicate, resolve, reject };
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== waiter);
        reject(new Error(`no matching message within ${waitMs} ms; got ${JSON.stringify(this.messages)}`));
      }, waitMs);
      waiter.done = () => clearTimeout(timer);
      this.waiters.push(waiter);
      this.#wake();
    });
  }

  /** The next message with this op (and, optionally, this room). */
  nextOp(op, room, waitMs) {
    return this.next((m) => m.op === op && (room === undefined || m.room === room), waitMs);
  }

  /** Resolves with {code, reason} once the server closes the connection. */
  whenClosed(waitMs = DEFAULT_WAIT_MS) {
    return new Promise((resolve, reject) => {
      const started = Date.now();
      const poll = () => {
        if (this.closed) {
          resolve(this.closed);
        } else if (Date.now() - started > waitMs) {
          reject(new Error(`still open after ${waitMs} ms`));
        } else {
          setTimeout(poll, 20);
        }
      };
      poll();
    });
  }

  close() {
    if (!this.closed) {
      this.ws.close(1000);
    }
  }

  #wake() {
    for (const waiter of [...this.waiters]) {
      const index = this.messages.findIndex(waiter.predicate);
      if (index >= 0) {
        const [message] = this.messages.splice(index, 1);
        this.waiters = this.waiters.filter((w) => w !== waiter);
        waiter.done();
        waiter.resolve(message);
      } else if (this.closed) {
        this.waiters = this.waiters.filter((w) => w !== waiter);
        waiter.done();
        waiter.reject(new Error(`connection closed (${this.closed.code} ${this.closed.reason}) before a `
          + `matching message; got ${JSON.stringify(this.messages)}`));
      }
    }
  }
}
