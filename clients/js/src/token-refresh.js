// Keeps a connection's token fresh: shortly before it expires a new one comes from getToken and is
// sent as an `auth` frame, so the connection (and its rooms) stay as they are.

const MAX_TIMER_MS = 2 ** 31 - 1;

export class TokenRefresh {
  #fetchToken;
  #refreshBeforeMs;
  #timer = null;
  #generation = 0;
  /** True from sending a refresh until the server answers it. */
  inFlight = false;

  /**
   * @param {() => Promise<string>} fetchToken
   * @param {number} refreshBeforeMs how long before expiry to refresh
   */
  constructor(fetchToken, refreshBeforeMs) {
    this.#fetchToken = fetchToken;
    this.#refreshBeforeMs = refreshBeforeMs;
  }

  /**
   * Plans the next refresh for a token expiring at `expiresAt`, or after `delayMs` when given.
   * @param {(token: string) => void} send sends the `auth` frame
   * @param {(error: unknown) => void} failed getToken failed; the refresh is planned again
   */
  schedule(expiresAt, send, failed, delayMs) {
    this.stop();
    this.inFlight = false;
    if (expiresAt == null && delayMs === undefined) {
      return;
    }
    const remaining = expiresAt - Date.now();
    // A token shorter-lived than twice the lead is refreshed at half of what is left.
    const delay = delayMs ?? Math.max(0, remaining - Math.min(this.#refreshBeforeMs, remaining / 2));
    const generation = this.#generation;
    this.#timer = setTimeout(async () => {
      let token;
      try {
        token = await this.#fetchToken();
      } catch (error) {
        if (generation === this.#generation) {
          failed(error);
          this.schedule(expiresAt, send, failed, this.retryDelay());
        }
        return;
      }
      if (generation === this.#generation) {
        this.inFlight = true;
        send(token);
      }
    }, Math.min(delay, MAX_TIMER_MS));
  }

  /** How long to wait before trying again after a refused or failed refresh. */
  retryDelay() {
    return Math.min(5_000, this.#refreshBeforeMs / 4);
  }

  /** Cancels the planned refresh and ignores one already running (the connection is gone). */
  stop() {
    this.#generation += 1;
    clearTimeout(this.#timer);
    this.#timer = null;
  }
}
