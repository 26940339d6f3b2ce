// A tiny event emitter that works the same in browsers and Node. A listener that throws does not
// stop the others: its error goes to `onListenerError`.

export class Emitter {
  #listeners = new Map();
  #onListenerError;

  /** @param {(error: unknown, event: string) => void} onListenerError */
  constructor(onListenerError) {
    this.#onListenerError = onListenerError;
  }

  /** Adds a listener and returns the function that removes it. */
  on(event, listener) {
    if (typeof listener !== 'function') {
      throw new TypeError(`listener for '${event}' must be a function`);
    }
    let set = this.#listeners.get(event);
    if (!set) {
      set = new Set();
      this.#listeners.set(event, set);
    }
    set.add(listener);
    return () => this.off(event, listener);
  }

  off(event, listener) {
    this.#listeners.get(event)?.delete(listener);
  }

  emit(event, value) {
    const set = this.#listeners.get(event);
    if (!set) {
      return;
    }
    for (const listener of [...set]) {
      try {
        listener(value);
      } catch (error) {
        this.#onListenerError(error, event);
      }
    }
  }
}
