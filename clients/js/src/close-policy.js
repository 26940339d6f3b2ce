// Which closes are worth reconnecting after.

/** Closes after which reconnecting cannot help: protocol errors (a client bug) and a kick. */
export const FINAL_CLOSES = new Set([1002, 1003, 1007, 4004]);
/** Closes about the token: a fresh one from getToken may fix them, a fixed token cannot. */
export const AUTH_CLOSES = new Set([4001, 4002]);

/**
 * Why not to reconnect after a close, or null to reconnect.
 * @param {number} code the close code
 * @param {string} reason the close reason
 * @param {object} options the client's checked options
 * @param {{authFailures: number, attempts: number}} history token refusals in a row (this one
 *        included) and reconnect attempts since the client was last open
 */
export function whyNotReconnect(code, reason, options, { authFailures, attempts }) {
  if (AUTH_CLOSES.has(code)) {
    if (!options.getToken) {
      return 'the token was refused and there is no getToken to fetch another';
    }
    if (authFailures > options.maxAuthFailures) {
      return `the server refused ${authFailures} tokens in a row`;
    }
  } else if (FINAL_CLOSES.has(code)) {
    return 'the server closed for a reason reconnecting does not fix';
  }
  if (options.shouldReconnect && !options.shouldReconnect(code, reason)) {
    return 'shouldReconnect said no';
  }
  if (!options.reconnect.enabled || attempts >= options.reconnect.maxAttempts) {
    return 'no reconnect attempts left';
  }
  return null;
}
