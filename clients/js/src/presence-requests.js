// `presence(room)` calls waiting for the member list, by room: one frame per room is asked for, and
// the next member list of that room answers every waiting call.
import { PlayConnectError, ClientCodes } from './errors.js';

export class PresenceRequests {
  #byRoom = new Map();
  #timeoutMs;

  constructor(timeoutMs) {
    this.#timeoutMs = timeoutMs;
  }

  rooms() {
    return [...this.#byRoom.keys()];
  }

  /**
   * A promise of the room's members.
   * @param {(room: string) => void} ask sends the `presence` frame when this is the first waiter
   */
  add(room, ask) {
    return new Promise((resolve, reject) => {
      const waiter = { resolve, reject };
      waiter.timer = setTimeout(() => {
        this.#drop(room, waiter);
        reject(new PlayConnectError(ClientCodes.TIMEOUT, `no presence answer for ${room} within ${this.#timeoutMs} ms`,
          { retry: true, room }));
      }, this.#timeoutMs);
      const waiters = this.#byRoom.get(room) ?? [];
      waiters.push(waiter);
      this.#byRoom.set(room, waiters);
      if (waiters.length === 1) {
        ask(room);
      }
    });
  }

  /** @returns {boolean} whether anyone was waiting */
  answer(room, members) {
    return this.#settle(room, (w) => w.resolve(members));
  }

  /** @returns {boolean} whether anyone was waiting */
  fail(room, error) {
    return this.#settle(room, (w) => w.reject(error));
  }

  failAll(makeError) {
    for (const room of this.rooms()) {
      this.fail(room, makeError(room));
    }
  }

  #settle(room, settle) {
    const waiters = this.#byRoom.get(room);
    if (!waiters?.length) {
      return false;
    }
    this.#byRoom.delete(room);
    waiters.forEach((w) => { clearTimeout(w.timer); settle(w); });
    return true;
  }

  #drop(room, waiter) {
    const waiters = (this.#byRoom.get(room) ?? []).filter((w) => w !== waiter);
    if (waiters.length) {
      this.#byRoom.set(room, waiters);
    } else {
      this.#byRoom.delete(room);
    }
  }
}
