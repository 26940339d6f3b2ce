// One joined room: its position {epoch, seq}, the de-duplication and gap check on its events, and
// its presence list. It never touches the socket; it tells the client what to do instead.

/** What {@link RoomState#onEvent} decided about one event. */
export const EventVerdict = Object.freeze({
  DELIVERED: 'delivered',
  DUPLICATE: 'duplicate',
  /** Newer than the next expected seq, or of another epoch: the room must be joined again from its position. */
  GAP: 'gap',
  /** Came before the snapshot it belongs after; delivered once the snapshot is in. */
  BUFFERED: 'buffered',
});

export class RoomState {
  /**
   * @param {string} name
   * @param {object} handlers onEvent, onSnapshot, onPresence, onJoined, onError (all optional)
   * @param {{epoch?: string, since?: number}} position where the caller's copy of the state stands
   */
  constructor(name, handlers, position) {
    this.name = name;
    this.handlers = handlers;
    this.epoch = position.epoch ?? null;
    this.seq = position.epoch != null && Number.isInteger(position.since) ? position.since : null;
    /** True from sending `join` until the room is in sync (a recovered `joined`, or the snapshot). */
    this.syncing = false;
    /** True while a join sent because of a gap is unanswered, so one gap causes one rejoin. */
    this.resyncing = false;
    this.awaitingSnapshot = false;
    this.early = [];
    this.members = new Map();
    this.firstSync = null;
  }

  /** The `join` frame that continues from the current position (or from scratch without one). */
  joinFrame() {
    const frame = { op: 'join', room: this.name };
    if (this.epoch != null && this.seq != null) {
      frame.since = this.seq;
      frame.epoch = this.epoch;
    }
    this.syncing = true;
    return frame;
  }

  /** The socket is gone: the next connection must join again. */
  detach() {
    this.syncing = false;
    this.resyncing = false;
    this.awaitingSnapshot = false;
    this.early = [];
  }

  onJoined(frame) {
    this.resyncing = false;
    this.awaitingSnapshot = frame.recovered !== true;
    const info = { room: this.name, epoch: frame.epoch, seq: frame.seq, recovered: frame.recovered === true };
    if (!this.awaitingSnapshot) {
      // A resume: the missed events follow, continuing from the position we named.
      this.epoch = frame.epoch;
      this.seq = frame.seq;
      this.#synced(info);
    }
    call(this.handlers.onJoined, info);
  }

  onSnapshot(frame) {
    this.awaitingSnapshot = false;
    this.epoch = frame.epoch;
    this.seq = frame.seq;
    const info = { room: this.name, epoch: frame.epoch, seq: frame.seq, recovered: false };
    call(this.handlers.onSnapshot, frame.state, info);
    this.#synced({ ...info, state: frame.state });
    const early = this.early;
    this.early = [];
    return early;
  }

  /** Decides about one event, delivering it when it is the next one. */
  onEvent(event) {
    if (this.awaitingSnapshot || this.seq == null) {
      this.early.push(event);
      return EventVerdict.BUFFERED;
    }
    if (event.epoch !== this.epoch) {
      return EventVerdict.GAP;
    }
    if (event.seq <= this.seq) {
      return EventVerdict.DUPLICATE;
    }
    if (event.seq !== this.seq + 1) {
      return EventVerdict.GAP;
    }
    this.seq = event.seq;
    call(this.handlers.onEvent, event);
    return EventVerdict.DELIVERED;
  }

  /** Applies a `presence` frame and tells the handler, with the whole list as it now stands. */
  onPresence(frame) {
    if (Array.isArray(frame.members)) {
      this.members = new Map(frame.members.map((m) => [memberKey(m), m]));
    } else if (frame.joined) {
      this.members.set(memberKey(frame.joined), frame.joined);
    } else if (frame.left) {
      this.members.delete(memberKey(frame.left));
    }
    const members = [...this.members.values()];
    call(this.handlers.onPresence, { room: this.name, members, joined: frame.joined, left: frame.left });
    return members;
  }

  /** An `error` about this room that answers no command. */
  onError(error) {
    call(this.handlers.onError, error);
  }

  /** Settles the promise `join()` returned, once. */
  settle(error, info) {
    const first = this.firstSync;
    this.firstSync = null;
    if (first) {
      if (error) {
        first.reject(error);
      } else {
        first.resolve(info);
      }
    }
  }

  #synced(info) {
    this.syncing = false;
    this.settle(null, info);
  }

  position() {
    return this.epoch != null && this.seq != null ? { epoch: this.epoch, seq: this.seq } : null;
  }
}

function memberKey(member) {
  return member.connectionId ?? `${member.user}/${member.protocol}`;
}

function call(handler, ...args) {
  if (typeof handler === 'function') {
    handler(...args);
  }
}
