// Where the server under test is, from the environment (see README.md), and the clients built from
// the project's own .proto files with @grpc/proto-loader.
import path from 'node:path';
import grpc from '@grpc/grpc-js';
import protoLoader from '@grpc/proto-loader';
import { mintToken } from './token.mjs';

function required(name) {
  const value = process.env[name];
  if (!value) {
    throw new Error(`${name} must be set (see README.md): the suite needs a running server`);
  }
  return value;
}

/** host:port of the gRPC listener. */
export const GRPC_ADDR = required('PLAYCONNECT_GRPC_ADDR');
/** http://host:port of the HTTP listener (the server API is under /api/v1). */
export const HTTP_URL = required('PLAYCONNECT_HTTP_URL');
export const SECRET = required('PLAYCONNECT_TOKEN_SECRET');
/** The repository's proto/ folder. */
export const PROTO_DIR = process.env.PLAYCONNECT_PROTO_DIR
  ?? path.resolve(path.dirname(new URL(import.meta.url).pathname), '..', '..', '..', 'proto');

export const ALL_SCOPES = ['subscribe', 'publish', 'presence'];
const RUN = Date.now().toString(36);
let rooms = 0;

/** A room no other test (or earlier run) has used. */
export function newRoom(kind = 'chat') {
  rooms += 1;
  return `${kind}.node${RUN}x${rooms}`;
}

export function token(sub, { rooms: grants = { '*': ALL_SCOPES }, ttlSeconds } = {}) {
  return mintToken(SECRET, { sub, rooms: grants, ttlSeconds });
}

export const LOADER_OPTIONS = { keepCase: true, longs: String, enums: String, defaults: true, oneofs: true };

const definition = protoLoader.loadSync(['playconnect/v1/sync.proto'], { ...LOADER_OPTIONS, includeDirs: [PROTO_DIR] });
const loaded = grpc.loadPackageDefinition(definition);
export const SyncService = loaded.playconnect.v1.SyncService;

/** Call metadata with the bearer token (and more headers when given). */
export function bearer(jwt, extra = {}) {
  const md = new grpc.Metadata();
  if (jwt) {
    md.set('authorization', `Bearer ${jwt}`);
  }
  for (const [k, v] of Object.entries(extra)) {
    md.set(k, v);
  }
  return md;
}

export function syncClient() {
  return new SyncService(GRPC_ADDR, grpc.credentials.createInsecure());
}

export function deadline(ms = 10_000) {
  return new Date(Date.now() + ms);
}

/** A unary call as a promise: resolves with the answer, rejects with the ServiceError (code, metadata). */
export function unary(client, method, request, metadata, options = { deadline: deadline() }) {
  return new Promise((resolve, reject) => {
    client[method](request, metadata, options, (err, value) => (err ? reject(err) : resolve(value)));
  });
}

export { grpc };
