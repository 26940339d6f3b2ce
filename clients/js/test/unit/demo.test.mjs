import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseFen, uciMove, applyEvent, emptyGame, fromSnapshot, roleOf, START_FEN, glyph } from '../../demo/chess-board.js';

const dir = (p) => fileURLToPath(new URL(p, import.meta.url));

test('the web manifest lists exactly the demo files and the client sources, and its aliases name listed files', () => {
  const lines = readFileSync(dir('../../demo/manifest.txt'), 'utf8').split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('#'));
  const files = lines.filter((l) => !l.includes('='));
  const expected = [
    ...readdirSync(dir('../../demo')).filter((f) => f !== 'manifest.txt'),
    ...readdirSync(dir('../../src')).map((f) => `js/${f}`),
  ];
  assert.deepEqual([...files].sort(), expected.sort());
  const aliases = Object.fromEntries(lines.filter((l) => l.includes('=')).map((l) => l.split('=').map((s) => s.trim())));
  assert.deepEqual(aliases, { '/': 'index.html', '/dashboard': 'dashboard.html' });
});

test('the pages load nothing from elsewhere: every src and href is a path on this server', () => {
  for (const page of ['index.html', 'dashboard.html']) {
    const html = readFileSync(dir(`../../demo/${page}`), 'utf8');
    const refs = [...html.matchAll(/(?:src|href)="([^"]*)"/g)].map((m) => m[1]);
    assert.ok(refs.length > 0);
    for (const ref of refs) {
      assert.ok(ref.startsWith('/') && !ref.startsWith('//') || ref === 'data:,', `${page}: ${ref}`);
    }
    assert.doesNotMatch(html, /style="/, `${page}: inline styles are refused by the page policy`);
    assert.doesNotMatch(html, /<script>(?!<\/script>)/, `${page}: inline scripts are refused by the page policy`);
  }
});

test('a FEN becomes pieces on squares and the side to move', () => {
  const start = parseFen(START_FEN);
  assert.equal(Object.keys(start.pieces).length, 32);
  assert.deepEqual([start.pieces.e1, start.pieces.e8, start.pieces.a2, start.pieces.h7, start.turn], ['K', 'k', 'P', 'p', 'white']);
  const after = parseFen('rnbqkbnr/pppppppp/8/8/4P3/8/PPPP1PPP/RNBQKBNR b KQkq - 0 1');
  assert.deepEqual([after.pieces.e4, after.pieces.e2, after.turn], ['P', undefined, 'black']);
  assert.throws(() => parseFen('8/8/8'), /not a FEN/);
  assert.throws(() => parseFen('7/8/8/8/8/8/8/8 w - - 0 1'), /rank 8/);
  assert.throws(() => parseFen('9/8/8/8/8/8/8/8 w - - 0 1'), /not a FEN piece: 9/);
  assert.equal(glyph('K'), '\u2654');
});

test('clicking a pawn onto the last rank asks for a queen', () => {
  const { pieces } = parseFen('8/4P3/8/8/8/8/3p4/8 w - - 0 1');
  assert.equal(uciMove(pieces, 'e7', 'e8'), 'e7e8q');
  assert.equal(uciMove(pieces, 'd2', 'd1'), 'd2d1q');
  assert.equal(uciMove(parseFen(START_FEN).pieces, 'g1', 'f3'), 'g1f3');
});

test('events update the game state as the server\'s snapshot would have it', () => {
  const e = (payload, type = 'game.move') => ({ type, payload, origin: { user: payload.player } });
  let game = fromSnapshot({ fen: START_FEN, moves: [] });
  game = applyEvent(game, e({ move: 'e4', san: 'e4', uci: 'e2e4', color: 'white', player: 'alice', fen: 'rnbqkbnr/pppppppp/8/8/4P3/8/PPPP1PPP/RNBQKBNR b KQkq - 0 1', ply: 1, status: 'active', winner: null }));
  game = applyEvent(game, e({ move: 'e5', san: 'e5', uci: 'e7e5', color: 'black', player: 'bob', fen: 'rnbqkbnr/pppp1ppp/8/4p3/4P3/8/PPPP1PPP/RNBQKBNR w KQkq - 0 2', ply: 2, status: 'active', winner: null }));
  assert.deepEqual([game.white, game.black, game.turn, game.moves, game.lastUci], ['alice', 'bob', 'white', ['e4', 'e5'], 'e7e5']);
  assert.deepEqual([roleOf(game, 'alice'), roleOf(game, 'bob'), roleOf(game, 'carol')], ['white', 'black', 'spectator']);
  const resigned = applyEvent(game, e({ color: 'black', player: 'bob', fen: game.fen, ply: 2, status: 'resigned', winner: 'white' }, 'game.resign'));
  assert.deepEqual([resigned.status, resigned.winner, resigned.moves.length], ['resigned', 'white', 2]);
  assert.equal(applyEvent(game, { type: 'chat.message', payload: {} }), game);
  assert.equal(roleOf(emptyGame(), 'alice'), 'no seat yet');
});
