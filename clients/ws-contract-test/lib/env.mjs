// Where the server under test is, from the environment (see README.md).
import { mintToken } from './token.mjs';
import { ContractClient } from './client.mjs';

function required(name) {
  const value = process.env[name];
  if (!value) {
    throw new Error(`${name} must be set (see README.md): the suite needs a running server`);
  }
  return value;
}

export const WS_URL = required('PLAYCONNECT_WS_URL');
export const SECRET = required('PLAYCONNECT_TOKEN_SECRET');
/** The server's room log retention in records, when the caller knows it (enables the retention test). */
export const LOG_MAX_RECORDS = process.env.PLAYCONNECT_LOG_MAX_RECORDS
  ? Number.parseInt(process.env.PLAYCONNECT_LOG_MAX_RECORDS, 10) : undefined;

export const ALL_SCOPES = ['subscribe', 'publish', 'presence'];
const RUN = Date.now().toString(36);
let rooms = 0;

/** A chat room no other test (or earlier run) has used. */
export function newRoom() {
  rooms += 1;
  return `chat.ws${RUN}x${rooms}`;
}

export function token(sub, { rooms: grants = { 'chat.*': ALL_SCOPES }, ttlSeconds } = {}) {
  return mintToken(SECRET, { sub, rooms: grants, ttlSeconds });
}

/** A client authenticated with `?token=` for `sub`, holding every scope in chat rooms. */
export async function connectAs(sub, options = {}) {
  const client = await ContractClient.connect(WS_URL, { token: token(sub, options), ...options.connect });
  await client.nextOp('authenticated');
  return client;
}

/** Publishes a chat message and resolves with its ack. */
export async function say(client, room, text, correlationId) {
  client.send({ op: 'publish', room, type: 'chat.message', payload: { text }, correlationId });
  return client.next((m) => m.op === 'ack' && m.correlationId === correlationId);
}
