// Typed errors: every refusal the client reports is a PlayConnectError with the server's code, or
// one of the client's own codes below, and whether trying again (same correlationId) may succeed.

/** Codes the client itself produces, next to the server's (docs/protocol.md, "Error codes"). */
export const ClientCodes = Object.freeze({
  /** No ack within the publish timeout; the command may or may not be stored. Retry with the same correlationId. */
  TIMEOUT: 'timeout',
  /** The client was closed (by `close()` or a close that is not retried) before an answer came. */
  CLOSED: 'closed',
  /** The room was left while the operation waited. */
  LEFT: 'left',
  /** Arguments the client refuses before sending anything. */
  INVALID_ARGUMENT: 'invalid_argument',
});

/** Server codes whose `retry` is true (docs/protocol.md); used when a frame omits `retry`. */
const RETRYABLE = new Set(['rate_limited', 'overloaded', 'no_owner', 'outcome_unknown', 'unavailable', 'internal']);

export class PlayConnectError extends Error {
  /**
   * @param {string} code a server error code such as `illegal_move`, or one of {@link ClientCodes}
   * @param {string} message
   * @param {{retry?: boolean, correlationId?: string, room?: string, closeCode?: number}} [details]
   */
  constructor(code, message, details = {}) {
    super(message);
    this.name = 'PlayConnectError';
    this.code = code;
    this.retry = details.retry ?? RETRYABLE.has(code);
    this.correlationId = details.correlationId ?? null;
    this.room = details.room ?? null;
    if (details.closeCode !== undefined) {
      this.closeCode = details.closeCode;
    }
  }

  /** The error an `error` frame describes. */
  static fromFrame(frame) {
    return new PlayConnectError(String(frame.code ?? 'internal'), String(frame.message ?? frame.code ?? 'error'), {
      retry: typeof frame.retry === 'boolean' ? frame.retry : undefined,
      correlationId: frame.correlationId ?? undefined,
      room: frame.room ?? undefined,
    });
  }
}
