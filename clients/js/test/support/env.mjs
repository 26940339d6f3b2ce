// The running server the integration and browser tests talk to (scripts/with-server.mjs sets these).
function required(name) {
  const value = process.env[name];
  if (!value) {
    throw new Error(`${name} is not set: run these tests with \`npm test\` / \`npm run test:e2e\`, `
      + 'which start a server, or set PLAYCONNECT_HTTP_URL (and PLAYCONNECT_TOKEN_SECRET) for a running one');
  }
  return value;
}

export const HTTP_URL = required('PLAYCONNECT_HTTP_URL');
export const WS_URL = process.env.PLAYCONNECT_WS_URL ?? `${HTTP_URL.replace(/^http/, 'ws')}/ws`;
export const SECRET = () => required('PLAYCONNECT_TOKEN_SECRET');
const RUN = Date.now().toString(36);
let rooms = 0;

/** A room id no other test or earlier run has used. */
export function freshRoom(kind = 'chat') {
  rooms += 1;
  return `${kind}.t${RUN}x${rooms}`;
}
