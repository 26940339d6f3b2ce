// A Connect or Subscribe stream as a queue of ServerMessages with waits, for the tests.
export class StreamReader {
  constructor(call) {
    this.call = call;
    this.messages = [];
    this.waiters = [];
    this.status = null;
    this.ended = new Promise((resolve) => {
      call.on('status', (status) => {
        this.status = status;
        resolve(status);
        this.#wake();
      });
    });
    call.on('data', (m) => {
      this.messages.push(m);
      this.#wake();
    });
    // Errors also arrive as 'status'; without a listener, an 'error' event would throw.
    call.on('error', () => {});
  }

  #wake() {
    const waiters = this.waiters;
    this.waiters = [];
    waiters.forEach((w) => w());
  }

  /** The first message not taken yet for which match(m) holds (messages passed over stay). */
  async next(match, timeoutMs = 10_000) {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const i = this.messages.findIndex(match);
      if (i >= 0) {
        return this.messages.splice(i, 1)[0];
      }
      if (this.status) {
        throw new Error(`stream ended (${this.status.code}: ${this.status.details}) before a matching message`);
      }
      const left = deadline - Date.now();
      if (left <= 0) {
        throw new Error(`no matching message within ${timeoutMs} ms; got ${JSON.stringify(this.messages.map((m) => m.msg))}`);
      }
      await new Promise((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  kind(msg, timeoutMs) {
    return this.next((m) => m.msg === msg, timeoutMs);
  }

  send(message) {
    this.call.write(message);
  }

  close() {
    this.call.cancel();
  }
}
