// Notices a connection that died without closing (a laptop lid, a NAT that forgot us): after a
// quiet spell it sends `ping`, and a ping that nothing answers means the connection is gone.

export class Heartbeat {
  #intervalMs;
  #timeoutMs;
  #lastFrameAt = 0;
  #pingSentAt = 0;
  #timer = null;

  /** @param {{intervalMs: number, timeoutMs: number}} options intervalMs 0 turns the heartbeat off */
  constructor({ intervalMs, timeoutMs }) {
    this.#intervalMs = intervalMs;
    this.#timeoutMs = timeoutMs;
  }

  /**
   * Starts watching a fresh connection.
   * @param {() => void} ping sends a ping frame
   * @param {(reason: string) => void} dead called once when a ping went unanswered
   */
  start(ping, dead) {
    this.stop();
    this.#lastFrameAt = Date.now();
    this.#pingSentAt = 0;
    if (this.#intervalMs <= 0) {
      return;
    }
    // Dead means "a ping went unanswered", never "a timer ran late": background tabs throttle timers.
    this.#timer = setInterval(() => {
      const now = Date.now();
      const unanswered = this.#pingSentAt > this.#lastFrameAt;
      if (unanswered && now - this.#pingSentAt >= this.#timeoutMs) {
        this.stop();
        dead(`no answer to a ping within ${this.#timeoutMs} ms`);
      } else if (!unanswered && now - this.#lastFrameAt >= this.#intervalMs) {
        this.#pingSentAt = now;
        ping();
      }
    }, Math.max(20, Math.min(this.#intervalMs, this.#timeoutMs) / 2));
  }

  /** Any frame from the server shows the connection is alive. */
  frameReceived() {
    this.#lastFrameAt = Date.now();
  }

  stop() {
    clearInterval(this.#timer);
    this.#timer = null;
  }
}
