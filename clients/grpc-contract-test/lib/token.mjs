// HS256 development tokens with node:crypto, the claims the server expects (docs/protocol.md).
import { createHmac } from 'node:crypto';

function base64url(input) {
  return Buffer.from(input).toString('base64url');
}

export function mintToken(secret, { sub, rooms, ttlSeconds = 3600 }) {
  const now = Math.floor(Date.now() / 1000);
  const header = base64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }));
  const claims = base64url(JSON.stringify({ sub, rooms, iat: now, exp: now + ttlSeconds }));
  const signature = createHmac('sha256', secret).update(`${header}.${claims}`).digest('base64url');
  return `${header}.${claims}.${signature}`;
}
