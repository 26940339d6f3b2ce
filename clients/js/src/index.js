// PlayConnect Sync client: an ES module for browsers and Node (see ../README.md).
export { connect, PlayConnectClient } from './client.js';
export { PlayConnectError, ClientCodes } from './errors.js';
export { SUBPROTOCOL } from './options.js';
export { backoffDelay, DEFAULT_BACKOFF } from './backoff.js';
