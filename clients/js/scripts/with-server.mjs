// Runs a command with a PlayConnect server up: `node scripts/with-server.mjs [--dev] node --test ...`.
// --dev starts the server in development mode (its /demo/token endpoint, which the demo pages need).
// The command gets PLAYCONNECT_HTTP_URL, PLAYCONNECT_WS_URL and PLAYCONNECT_TOKEN_SECRET; the server
// (when this script started it) is stopped afterwards. See server.mjs for the variables it reads.
import { spawn } from 'node:child_process';
import { startServer } from './server.mjs';

const argv = process.argv.slice(2);
const dev = argv[0] === '--dev';
const [command, ...args] = dev ? argv.slice(1) : argv;
if (!command) {
  console.error('usage: node scripts/with-server.mjs COMMAND [ARGS...]');
  process.exit(2);
}

let server;
try {
  server = await startServer({ dev });
} catch (error) {
  console.error(`with-server: ${error.message}`);
  process.exit(1);
}
console.error(`with-server: PlayConnect at ${server.httpUrl} (${server.wsUrl})`);
const env = {
  ...process.env,
  PLAYCONNECT_HTTP_URL: server.httpUrl,
  PLAYCONNECT_WS_URL: server.wsUrl,
  ...(server.secret ? { PLAYCONNECT_TOKEN_SECRET: server.secret } : {}),
};
const child = spawn(command, args, { stdio: 'inherit', env });
const forward = (signal) => child.kill(signal);
process.on('SIGINT', forward);
process.on('SIGTERM', forward);
const code = await new Promise((resolve) => child.once('exit', (c, signal) => resolve(c ?? (signal ? 1 : 0))));
await server.stop();
process.exit(code);
