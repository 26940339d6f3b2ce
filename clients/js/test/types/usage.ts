// Compiled with `npm run typecheck` (tsc --noEmit): the declarations must describe real use.
import { connect, PlayConnectError, type PlayConnectEvent, type Ack, type Member, type ConnectionState } from '../../src/index.js';

interface GameState { fen: string; moves: string[] }
interface MovePayload { move: string; san?: string }

async function main(): Promise<void> {
  const client = connect({ url: 'ws://127.0.0.1:8080/ws', getToken: async () => 'jwt', reconnect: { initialDelayMs: 100, maxAttempts: 10 } });
  const off = client.on('reconnecting', ({ attempt, delayMs, code, reason }) => console.log(attempt, delayMs, code, reason));
  client.on('state', ({ state }) => { const s: ConnectionState = state; console.log(s); });
  off();
  await client.ready();
  const joined = await client.join<GameState, MovePayload>('game.42', {
    onEvent: (event: PlayConnectEvent<MovePayload>) => console.log(event.seq, event.payload.move),
    onSnapshot: (state, info) => console.log(state.fen, info.epoch, info.recovered),
    onPresence: ({ members }) => members.forEach((m: Member) => console.log(m.user, m.protocol)),
  });
  console.log(joined.state?.moves.length, client.position('game.42')?.seq);
  try {
    const ack: Ack = await client.publish('game.42', 'game.move', { move: 'e4' }, { correlationId: 'm-1' });
    console.log(ack.seq, ack.epoch);
  } catch (error) {
    if (error instanceof PlayConnectError && error.code === 'illegal_move' && !error.retry) {
      console.log(error.correlationId);
    }
  }
  const members: Member[] = await client.presence('game.42');
  console.log(members.length, client.members('game.42').length, client.leave('game.42'));
  await client.close();
  // @ts-expect-error a token and getToken are both needed? no: only one of them, and url is required
  connect({ token: 'jwt' });
}
void main;
