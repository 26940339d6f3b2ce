// Chess board model for the demo page: FEN to squares, and a game state kept up to date from the
// room's snapshot and events (docs/rooms.md, "game"). No rules here: the server decides.

export const START_FEN = 'rnbqkbnr/pppppppp/8/8/8/8/PPPPPPPP/RNBQKBNR w KQkq - 0 1';

const GLYPHS = {
  K: '\u2654', Q: '\u2655', R: '\u2656', B: '\u2657', N: '\u2658', P: '\u2659',
  k: '\u265A', q: '\u265B', r: '\u265C', b: '\u265D', n: '\u265E', p: '\u265F',
};

export const FILES = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'];

/** The Unicode glyph of a FEN piece letter ('' for none). */
export function glyph(piece) {
  return GLYPHS[piece] ?? '';
}

/** Square name to piece letter, e.g. {e1: 'K', e8: 'k'}, from a FEN's placement field. */
export function parseFen(fen) {
  const [placement, side = 'w'] = String(fen).trim().split(/\s+/);
  const ranks = placement.split('/');
  if (ranks.length !== 8) {
    throw new Error(`not a FEN: ${fen}`);
  }
  const pieces = {};
  ranks.forEach((row, r) => {
    let file = 0;
    for (const ch of row) {
      if (/[1-8]/.test(ch)) {
        file += Number(ch);
      } else if (GLYPHS[ch]) {
        pieces[`${FILES[file]}${8 - r}`] = ch;
        file += 1;
      } else {
        throw new Error(`not a FEN piece: ${ch}`);
      }
    }
    if (file !== 8) {
      throw new Error(`rank ${8 - r} of the FEN does not have 8 squares: ${row}`);
    }
  });
  return { pieces, turn: side === 'b' ? 'black' : 'white' };
}

/** The colour of a FEN piece letter. */
export function colorOf(piece) {
  return piece === piece.toUpperCase() ? 'white' : 'black';
}

/** The UCI move for dragging `from` to `to`, promoting a pawn that reaches the last rank to a queen. */
export function uciMove(pieces, from, to) {
  const piece = pieces[from];
  const promotes = (piece === 'P' && to.endsWith('8')) || (piece === 'p' && to.endsWith('1'));
  return `${from}${to}${promotes ? 'q' : ''}`;
}

/** A fresh game's state, as the server's snapshot of an empty room has it. */
export function emptyGame() {
  return { fen: START_FEN, white: null, black: null, turn: 'white', moves: [], status: 'active', winner: null };
}

/** The state a snapshot gives, with what an empty room may leave out filled in. */
export function fromSnapshot(state) {
  return { ...emptyGame(), ...(state ?? {}), moves: [...(state?.moves ?? [])] };
}

/** The state after one stored event of the room; events of other types leave it as it was. */
export function applyEvent(state, event) {
  const p = event.payload ?? {};
  if (event.type !== 'game.move' && event.type !== 'game.resign') {
    return state;
  }
  const next = { ...state, moves: [...state.moves] };
  if (event.type === 'game.move') {
    next.moves.push(p.san ?? p.move);
    next.lastUci = p.uci ?? null;
  }
  if (p.color === 'white' && !next.white) {
    next.white = p.player ?? event.origin?.user ?? null;
  }
  if (p.color === 'black' && !next.black) {
    next.black = p.player ?? event.origin?.user ?? null;
  }
  if (p.fen) {
    next.fen = p.fen;
    next.turn = parseFen(p.fen).turn;
  }
  next.status = p.status ?? next.status;
  next.winner = p.winner ?? next.winner;
  return next;
}

/** What `user` is in this game. */
export function roleOf(state, user) {
  if (state.white === user) {
    return 'white';
  }
  if (state.black === user) {
    return 'black';
  }
  return state.white && state.black ? 'spectator' : 'no seat yet';
}
