// Starts a PlayConnect server for the tests, or points at one that already runs.
//
//   PLAYCONNECT_HTTP_URL=http://127.0.0.1:8080   use that server (with PLAYCONNECT_TOKEN_SECRET to mint tokens)
//   PLAYCONNECT_JAR=path/to/playconnect.jar      the jar to run (default: playconnect-server/target/playconnect.jar)
//   PLAYCONNECT_SERVER_COMMAND="cmd args"        run this instead of `java -jar JAR` (then `run ...` is appended)
//   PLAYCONNECT_SERVER_ARGS="..."                extra options for `run` (default: --dev when asked for
//                                                development mode, which enables /demo/token; else none)
//
// The server is started as `... run --http-port 0 --token-secret RANDOM <extra>`, and its listener
// lines (`http  http://127.0.0.1:PORT ...`, `ws    ws://127.0.0.1:PORT/ws`, `ready`) are read from stdout.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const START_TIMEOUT_MS = 120_000;
const STOP_TIMEOUT_MS = 15_000;

/**
 * @param {{dev?: boolean, env?: object}} [options] dev: start in development mode (`--dev`)
 * @returns {Promise<{httpUrl: string, wsUrl: string, secret: string | undefined, stop: () => Promise<void>}>}
 */
export async function startServer({ dev = false, env = process.env } = {}) {
  if (env.PLAYCONNECT_HTTP_URL) {
    const httpUrl = env.PLAYCONNECT_HTTP_URL.replace(/\/$/, '');
    const wsUrl = env.PLAYCONNECT_WS_URL ?? `${httpUrl.replace(/^http/, 'ws')}/ws`;
    return { httpUrl, wsUrl, secret: env.PLAYCONNECT_TOKEN_SECRET, stop: async () => {} };
  }
  const secret = env.PLAYCONNECT_TOKEN_SECRET ?? randomBytes(33).toString('base64url');
  const extra = (env.PLAYCONNECT_SERVER_ARGS ?? (dev ? '--dev' : '')).split(/\s+/).filter(Boolean);
  const args = ['run', '--http-port', '0', '--token-secret', secret, ...extra];
  let command;
  if (env.PLAYCONNECT_SERVER_COMMAND) {
    const [cmd, ...pre] = env.PLAYCONNECT_SERVER_COMMAND.split(/\s+/).filter(Boolean);
    command = [cmd, [...pre, ...args]];
  } else {
    const jar = env.PLAYCONNECT_JAR ?? resolve(ROOT, 'playconnect-server/target/playconnect.jar');
    if (!existsSync(jar)) {
      throw new Error(`no server jar at ${jar}: build it (cd ${ROOT} && ./mvnw -q -pl playconnect-server package -DskipTests) `
        + 'or set PLAYCONNECT_HTTP_URL to a running server');
    }
    command = ['java', ['-jar', jar, ...args]];
  }
  const child = spawn(command[0], command[1], { stdio: ['ignore', 'pipe', 'pipe'] });
  const output = [];
  const lines = await new Promise((resolveLines, reject) => {
    const found = {};
    let buffered = '';
    const timer = setTimeout(() => fail(new Error(`the server printed no 'ready' within ${START_TIMEOUT_MS} ms`)), START_TIMEOUT_MS);
    function fail(error) {
      clearTimeout(timer);
      child.kill('SIGKILL');
      error.message += `\n--- server output ---\n${output.join('')}`;
      reject(error);
    }
    child.stdout.on('data', (chunk) => {
      output.push(chunk.toString());
      buffered += chunk.toString();
      let newline;
      while ((newline = buffered.indexOf('\n')) >= 0) {
        const line = buffered.slice(0, newline).trim();
        buffered = buffered.slice(newline + 1);
        const listener = /^(\w+)\s+((?:https?|wss?):\/\/\S+)/.exec(line);
        if (listener) {
          found[listener[1]] = listener[2];
        } else if (line === 'ready') {
          clearTimeout(timer);
          resolveLines(found);
        }
      }
    });
    child.stderr.on('data', (chunk) => output.push(chunk.toString()));
    child.once('error', fail);
    child.once('exit', (code, signal) => fail(new Error(`the server exited early (${code ?? signal})`)));
  });
  if (!lines.http) {
    child.kill('SIGKILL');
    throw new Error(`the server printed no http listener line:\n${output.join('')}`);
  }
  const httpUrl = lines.http;
  const wsUrl = lines.ws ?? `${httpUrl.replace(/^http/, 'ws')}/ws`;
  const stop = () => new Promise((done) => {
    if (child.exitCode !== null || child.signalCode !== null) {
      done();
      return;
    }
    const killer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
    child.once('exit', () => { clearTimeout(killer); done(); });
    child.kill('SIGTERM');
  });
  child.removeAllListeners('exit');
  return { httpUrl, wsUrl, secret, stop, output };
}
