// Development tokens for tests: HS256 JWTs with the claims the server reads (sub, iat, exp, rooms).
import { createHmac } from 'node:crypto';

const b64 = (value) => Buffer.from(value).toString('base64url');
export const ALL_SCOPES = ['subscribe', 'publish', 'presence'];

/** @param {{sub: string, rooms?: Record<string, string[]>, ttlSeconds?: number}} claims */
export function mintToken(secret, { sub, rooms = { 'game.*': ALL_SCOPES, 'chat.*': ALL_SCOPES }, ttlSeconds = 3600 }) {
  const now = Math.floor(Date.now() / 1000);
  const unsigned = `${b64(JSON.stringify({ alg: 'HS256', typ: 'JWT' }))}.${b64(JSON.stringify({ sub, iat: now, exp: now + ttlSeconds, rooms }))}`;
  const signature = createHmac('sha256', Buffer.from(secret, 'utf8')).update(unsigned).digest('base64url');
  return `${unsigned}.${signature}`;
}
