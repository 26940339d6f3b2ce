// Mints HS256 development tokens with the claims the edge reads: sub, exp, iat, rooms.
import { createHmac } from 'node:crypto';

function base64url(value) {
  return Buffer.from(value).toString('base64url');
}

/**
 * @param {string} secret the server's token secret (its UTF-8 bytes are the HMAC key)
 * @param {{sub: string, rooms: Record<string, string[]>, ttlSeconds?: number}} claims
 */
export function mintToken(secret, { sub, rooms, ttlSeconds = 3600 }) {
  const now = Math.floor(Date.now() / 1000);
  const header = base64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }));
  const body = base64url(JSON.stringify({ sub, iat: now, exp: now + ttlSeconds, rooms }));
  const signature = createHmac('sha256', Buffer.from(secret, 'utf8'))
    .update(`${header}.${body}`)
    .digest('base64url');
  return `${header}.${body}.${signature}`;
}
