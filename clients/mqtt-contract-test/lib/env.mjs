// The server under test and development tokens for it, from the environment (see README.md).
import { createHmac } from 'node:crypto';
import mqtt from 'mqtt';

function required(name) {
  const value = process.env[name];
  if (!value) {
    throw new Error(`${name} must be set (see README.md): the suite needs a running server`);
  }
  return value;
}

export const MQTT_URL = required('PLAYCONNECT_MQTT_URL');
export const WS_URL = process.env.PLAYCONNECT_MQTT_WS_URL;
const SECRET = required('PLAYCONNECT_TOKEN_SECRET');
const RUN = Date.now().toString(36);
let counter = 0;

/** An HS256 JWT with the claims the edge reads: sub, iat, exp and rooms. */
export function token(sub, rooms = { '*': ['subscribe', 'publish', 'presence'] }) {
  const now = Math.floor(Date.now() / 1000);
  const part = (o) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const unsigned = `${part({ alg: 'HS256', typ: 'JWT' })}.${part({ sub, iat: now, exp: now + 3600, rooms })}`;
  const signature = createHmac('sha256', Buffer.from(SECRET, 'utf8')).update(unsigned).digest('base64url');
  return `${unsigned}.${signature}`;
}

/** A room id part no other test or run has used. */
export function fresh(prefix) {
  counter += 1;
  return `${prefix}${RUN}x${counter}`;
}

/** Connects and resolves with the client, or rejects with the connect error (its `code` is the CONNACK code). */
export function connect(sub, { version = 4, password, url = MQTT_URL, clientId = fresh('node') } = {}) {
  return new Promise((resolve, reject) => {
    const client = mqtt.connect(url, {
      protocolVersion: version,
      clientId,
      username: sub,
      password: password === undefined ? token(sub) : password,
      clean: true,
      reconnectPeriod: 0,
      connectTimeout: 10_000,
    });
    client.once('connect', () => resolve(client));
    client.once('error', (err) => {
      client.end(true);
      reject(err);
    });
  });
}

/** Resolves with the next message on a client as {topic, text, packet}. */
export function nextMessage(client, timeoutMs = 10_000) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('no message in time')), timeoutMs);
    client.once('message', (topic, payload, packet) => {
      clearTimeout(timer);
      resolve({ topic, text: payload.toString('utf8'), packet });
    });
  });
}
