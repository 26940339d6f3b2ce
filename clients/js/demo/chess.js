// The chess demo page: one game room, two players, any number of spectators. The board is whatever
// the server says it is: a move is sent, and the board changes when the stored event comes back.
import { connect } from '/js/index.js';
import { FILES, glyph, parseFen, colorOf, uciMove, fromSnapshot, applyEvent, roleOf, emptyGame } from './chess-board.js';

const $ = (id) => document.getElementById(id);
const params = new URLSearchParams(location.search);
const user = params.get('user');
const gameId = params.get('game');
const NAME = /^[A-Za-z0-9_-]{1,32}$/;
const GAME = /^[A-Za-z0-9_-]{1,64}$/;

if (!user || !gameId || !NAME.test(user) || !GAME.test(gameId)) {
  showLobby();
} else {
  play(user, `game.${gameId}`);
}

function showLobby() {
  const form = $('lobby');
  form.hidden = false;
  $('lobby-user').value = user ?? '';
  $('lobby-game').value = gameId ?? Math.random().toString(36).slice(2, 8);
  setConnection('closed', 'not connected');
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    location.search = new URLSearchParams({ game: $('lobby-game').value, user: $('lobby-user').value }).toString();
  });
}

function play(me, room) {
  const storageKey = `playconnect.demo.${room}.${me}`;
  const saved = load(storageKey);
  let game = saved ? saved.state : emptyGame();
  let picked = null;
  let flipped = false;
  let members = [];
  $('game').hidden = false;
  $('title').textContent = room;
  $('me').textContent = me;
  document.title = `${room} - PlayConnect chess`;

  const client = connect({
    url: `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/ws`,
    getToken: () => fetchToken(me, room),
  });
  // For poking at the demo from the browser console.
  globalThis.playconnect = { client, room };
  client.on('state', ({ state, code, reason }) => setConnection(state, describeState(state, code, reason)));
  client.on('open', ({ reconnected }) => {
    if (reconnected) {
      const pill = $('connection');
      pill.dataset.reconnects = String(Number(pill.dataset.reconnects ?? 0) + 1);
    }
  });
  client.on('error', (error) => console.warn('playconnect:', error));

  const save = () => {
    const position = client.position(room);
    if (position) {
      sessionStorage.setItem(storageKey, JSON.stringify({ ...position, state: game }));
      showSync(position, null);
    }
  };
  const render = () => {
    renderBoard(game, picked, flipped, onSquare);
    renderFacts(game, me);
    renderPresence(members, game, me);
  };

  client.join(room, {
    ...(saved ? { since: saved.seq, epoch: saved.epoch } : {}),
    onSnapshot: (state) => { game = fromSnapshot(state); render(); save(); },
    onEvent: (event) => { game = applyEvent(game, event); render(); save(); },
    onPresence: (update) => { members = update.members; renderPresence(members, game, me); },
    onJoined: (info) => { if (info.recovered) showSync(info, true); },
    onError: (error) => notice(`${error.code}: ${error.message}`, 'refused'),
  }).then((info) => {
    showSync(info, info.recovered);
    if (info.recovered) {
      notice(`resumed at move ${game.moves.length} (seq ${info.seq})`, 'info');
    }
  }, (error) => notice(`${error.code}: ${error.message}`, 'refused'));

  const send = (move) => {
    notice(`sending ${move}...`, 'info');
    client.publish(room, 'game.move', { move }).then(
      () => notice('', 'info'),
      (error) => notice(`${error.code}: ${error.message}`, 'refused'),
    );
  };
  function onSquare(square) {
    const { pieces } = parseFen(game.fen);
    if (picked && picked !== square) {
      const from = picked;
      picked = null;
      render();
      send(uciMove(pieces, from, square));
    } else if (!picked && pieces[square]) {
      picked = square;
      render();
    } else {
      picked = null;
      render();
    }
  }
  $('move-form').addEventListener('submit', (e) => {
    e.preventDefault();
    const move = $('move-input').value.trim();
    if (move) {
      $('move-input').value = '';
      send(move);
    }
  });
  $('flip').addEventListener('click', () => { flipped = !flipped; render(); });
  render();
}

async function fetchToken(me, room) {
  const response = await fetch(`/demo/token?${new URLSearchParams({ user: me, room })}`, { cache: 'no-store' });
  if (!response.ok) {
    throw new Error(`GET /demo/token answered ${response.status}: ${await response.text()}`);
  }
  return (await response.json()).token;
}

function renderBoard(game, picked, flipped, onSquare) {
  const board = $('board');
  const { pieces } = parseFen(game.fen);
  const ranks = flipped ? [1, 2, 3, 4, 5, 6, 7, 8] : [8, 7, 6, 5, 4, 3, 2, 1];
  const files = flipped ? [...FILES].reverse() : FILES;
  const last = lastMoveSquares(game);
  const squares = [];
  for (const rank of ranks) {
    for (const file of files) {
      const name = `${file}${rank}`;
      const piece = pieces[name] ?? '';
      const button = document.createElement('button');
      button.type = 'button';
      button.className = `square ${(FILES.indexOf(file) + rank) % 2 === 0 ? 'light' : 'dark'}`;
      button.classList.toggle('picked', name === picked);
      button.classList.toggle('last', last.includes(name));
      button.dataset.square = name;
      button.dataset.piece = piece;
      button.textContent = glyph(piece);
      button.setAttribute('aria-label', piece ? `${name} ${colorOf(piece)} ${piece.toLowerCase()}` : name);
      button.addEventListener('click', () => onSquare(name));
      squares.push(button);
    }
  }
  board.replaceChildren(...squares);
  board.dataset.fen = game.fen;
}

/** The squares of the last move, when it is known (UCI kept by the page is not in the state). */
function lastMoveSquares(game) {
  return game.lastUci ? [game.lastUci.slice(0, 2), game.lastUci.slice(2, 4)] : [];
}

function renderFacts(game, me) {
  $('white').textContent = game.white ?? '-';
  $('black').textContent = game.black ?? '-';
  $('turn').textContent = game.turn;
  const over = game.status !== 'active';
  $('status').textContent = over ? `${game.status}${game.winner ? `, ${game.winner} wins` : ''}` : 'active';
  $('me').textContent = `${me} (${roleOf(game, me)})`;
  const list = game.moves.map((san, i) => {
    const li = document.createElement('li');
    li.textContent = san;
    li.dataset.ply = String(i + 1);
    return li;
  });
  $('moves').replaceChildren(...list);
}

function renderPresence(members, game, me) {
  const items = [...members].sort((a, b) => a.user.localeCompare(b.user)).map((m) => {
    const li = document.createElement('li');
    li.dataset.user = m.user;
    li.dataset.protocol = m.protocol;
    const role = roleOf(game, m.user);
    li.append(`${m.user}${m.user === me ? ' (you)' : ''} - ${role} `);
    const protocol = document.createElement('span');
    protocol.className = 'protocol';
    protocol.textContent = `over ${m.protocol}`;
    li.append(protocol);
    return li;
  });
  $('presence').replaceChildren(...items);
}

function showSync(position, recovered) {
  const sync = $('sync');
  sync.dataset.seq = String(position.seq);
  sync.dataset.epoch = position.epoch;
  if (recovered !== null) {
    sync.dataset.recovered = String(recovered);
  }
  sync.textContent = `seq ${position.seq}${sync.dataset.recovered === 'true' ? ' (resumed)' : ''}`;
}

function setConnection(state, text) {
  const pill = $('connection');
  pill.dataset.state = state;
  pill.textContent = text;
}

function describeState(state, code, reason) {
  if ((state === 'reconnecting' || state === 'closed') && code !== undefined) {
    return `${state} (${code}${reason ? ` ${reason}` : ''})`;
  }
  return state;
}

function notice(text, kind) {
  const el = $('notice');
  el.textContent = text;
  el.className = kind;
}

function load(key) {
  try {
    const saved = JSON.parse(sessionStorage.getItem(key) ?? 'null');
    return saved && typeof saved.epoch === 'string' && Number.isInteger(saved.seq) && saved.state ? saved : null;
  } catch {
    return null;
  }
}
