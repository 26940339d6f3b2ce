// The chess demo in real browsers against a real server: players, a spectator, refusals, reloads
// and a dropped network. Each person is an isolated browser context (own storage and cookies).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { HTTP_URL } from '../test/support/env.mjs';
import { TcpProxy } from '../test/support/tcp-proxy.mjs';
import { skipReason, launch, openPage } from './support/browser.mjs';
import { connected, movesAre, moves, pieceAt, fen, text, clickMove, presenceIs, noticeMatches, waitIn } from './support/board.mjs';

const skip = skipReason() ?? false;
// The README shows what these tests last saw.
const SHOTS = fileURLToPath(new URL('../../../docs/images/', import.meta.url));
let browser;
const watches = [];
const RUN = Date.now().toString(36);
let games = 0;

before(async () => { if (!skip) browser = await launch(); });
after(async () => {
  await browser?.close();
});

/** A person with the game open at `base` (the server, or a proxy in front of it). */
async function person(user, game, base = HTTP_URL) {
  const watch = await openPage(browser, [base]);
  watches.push(watch);
  await watch.page.goto(`${base}/?game=${game}&user=${user}`);
  await connected(watch.page);
  return watch;
}

function newGame() {
  games += 1;
  return `e2e${RUN}g${games}`;
}

/** Nothing went off the server, and no page logged an error. */
function assertClean(...people) {
  for (const p of people) {
    assert.deepEqual(p.offsite, [], 'requests beyond the server');
    assert.deepEqual(p.errors.filter((e) => !/WebSocket connection to .* failed/.test(e)), [], 'page errors');
  }
}

test('two players and a spectator: a game to checkmate, seen the same by all three', { skip }, async () => {
  const game = newGame();
  const alice = await person('alice', game);
  const bob = await person('bob', game);
  const carol = await person('carol', game);
  for (const p of [alice, bob, carol]) {
    await presenceIs(p.page, ['alice', 'bob', 'carol']);
  }
  const line = [['alice', 'e2', 'e4'], ['bob', 'e7', 'e5'], ['alice', 'f1', 'c4'], ['bob', 'b8', 'c6'],
    ['alice', 'd1', 'h5'], ['bob', 'g8', 'f6'], ['alice', 'h5', 'f7']];
  const players = { alice, bob };
  const sans = ['e4', 'e5', 'Bc4', 'Nc6', 'Qh5', 'Nf6', 'Qxf7#'];
  for (let i = 0; i < line.length; i += 1) {
    const [who, from, to] = line[i];
    await clickMove(players[who].page, from, to);
    // Each move waits for the server's event at the mover, so the next click sees the new turn.
    await movesAre(players[who].page, sans.slice(0, i + 1));
  }
  for (const p of [alice, bob, carol]) {
    await movesAre(p.page, sans);
    assert.equal(await pieceAt(p.page, 'f7'), 'Q');
    assert.equal(await text(p.page, 'status'), 'checkmate, white wins');
    assert.equal(await text(p.page, 'white'), 'alice');
    assert.equal(await text(p.page, 'black'), 'bob');
  }
  assert.equal(await fen(alice.page), await fen(carol.page));
  assert.match(await text(carol.page, 'me'), /carol \(spectator\)/);
  const protocols = await carol.page.$$eval('#presence li', (items) => items.map((li) => li.textContent));
  assert.ok(protocols.every((t) => t.includes('over websocket')), protocols.join(' | '));
  mkdirSync(SHOTS, { recursive: true });
  await carol.page.screenshot({ path: `${SHOTS}demo-chess.png`, fullPage: true });
  assertClean(alice, bob, carol);
});

test('an illegal move and a spectator\'s move are refused with the server\'s reason, and the board stays', { skip }, async () => {
  const game = newGame();
  const alice = await person('alice', game);
  const bob = await person('bob', game);
  const carol = await person('carol', game);
  const before = await fen(alice.page);
  await clickMove(alice.page, 'e2', 'e5');
  await noticeMatches(alice.page, /^illegal_move: /);
  assert.equal(await fen(alice.page), before);
  assert.deepEqual(await moves(alice.page), []);

  await clickMove(alice.page, 'd2', 'd4');
  await clickMove(bob.page, 'd7', 'd5');
  await movesAre(carol.page, ['d4', 'd5']);
  await clickMove(carol.page, 'c2', 'c4');
  await noticeMatches(carol.page, /^spectator: /);
  await alice.page.fill('#move-input', 'Ke3');
  await alice.page.click('#move-form button[type=submit]');
  await noticeMatches(alice.page, /^illegal_move: /);
  await movesAre(alice.page, ['d4', 'd5']);
  assertClean(alice, bob, carol);
});

test('a reload resumes the game where it was, from the stored position', { skip }, async () => {
  const game = newGame();
  const alice = await person('alice', game);
  const bob = await person('bob', game);
  await clickMove(alice.page, 'g1', 'f3');
  await clickMove(bob.page, 'g8', 'f6');
  await movesAre(bob.page, ['Nf3', 'Nf6']);
  const position = await fen(bob.page);
  const seq = await bob.page.getAttribute('#sync', 'data-seq');

  await bob.page.reload();
  await connected(bob.page);
  await waitIn(bob.page, () => document.getElementById('sync').dataset.recovered === 'true', undefined, 'a resumed join');
  assert.equal(await fen(bob.page), position);
  assert.deepEqual(await moves(bob.page), ['Nf3', 'Nf6']);
  assert.equal(await bob.page.getAttribute('#sync', 'data-seq'), seq);
  assert.equal(await text(bob.page, 'black'), 'bob');

  // The game goes on from there for both.
  await clickMove(alice.page, 'e2', 'e4');
  await movesAre(bob.page, ['Nf3', 'Nf6', 'e4']);
  await clickMove(bob.page, 'f6', 'e4');
  await movesAre(alice.page, ['Nf3', 'Nf6', 'e4', 'Nxe4']);
  assertClean(alice, bob);
});

test('a dropped network reconnects and resumes with no missing and no doubled move', { skip }, async (t) => {
  const proxy = await TcpProxy.start(HTTP_URL);
  t.after(() => proxy.stop());
  const game = newGame();
  const viaProxy = proxy.url(HTTP_URL);
  const alice = await person('alice', game, viaProxy);
  const bob = await person('bob', game);
  await clickMove(alice.page, 'e2', 'e4');
  await clickMove(bob.page, 'c7', 'c5');
  await movesAre(alice.page, ['e4', 'c5']);

  // 1. The network drops; a move alice makes meanwhile waits and is sent once she is back.
  proxy.cut();
  await waitIn(alice.page, () => document.getElementById('connection').dataset.state !== 'open', undefined, 'alice to notice the drop');
  await clickMove(alice.page, 'g1', 'f3');
  await connected(alice.page);
  await movesAre(bob.page, ['e4', 'c5', 'Nf3']);
  await clickMove(bob.page, 'd7', 'd6');
  await movesAre(alice.page, ['e4', 'c5', 'Nf3', 'd6']);

  // 2. Her path stalls, bob moves, then the connection dies: she must get his move exactly once.
  await clickMove(alice.page, 'd2', 'd4');
  await movesAre(bob.page, ['e4', 'c5', 'Nf3', 'd6', 'd4']);
  await movesAre(alice.page, ['e4', 'c5', 'Nf3', 'd6', 'd4']);
  proxy.hold();
  await clickMove(bob.page, 'c5', 'd4');
  await movesAre(bob.page, ['e4', 'c5', 'Nf3', 'd6', 'd4', 'cxd4']);
  proxy.cut();
  await waitIn(alice.page, () => document.getElementById('connection').dataset.reconnects === '2', undefined, 'alice\'s second reconnect');
  await connected(alice.page);
  await movesAre(alice.page, ['e4', 'c5', 'Nf3', 'd6', 'd4', 'cxd4']);
  assert.equal(await fen(alice.page), await fen(bob.page));
  assert.equal(await alice.page.getAttribute('#sync', 'data-seq'), await bob.page.getAttribute('#sync', 'data-seq'));
  assert.equal(await alice.page.getAttribute('#sync', 'data-recovered'), 'true');
  assertClean(alice, bob);
});
