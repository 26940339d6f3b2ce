// What the chess page shows, read from its DOM, and waits on it (bounded, never fixed sleeps).
const WAIT_MS = 10_000;

/** Waits until `fn(arg)` is true in the page. */
export function waitIn(page, fn, arg, what, ms = WAIT_MS) {
  return page.waitForFunction(fn, arg, { timeout: ms }).catch((error) => {
    throw new Error(`waiting for ${what}: ${error.message.split('\n')[0]}`);
  });
}

export const connected = (page) => waitIn(page, () => document.getElementById('connection')?.dataset.state === 'open', undefined, 'the connection to open');

/** Waits until the move list holds exactly `sans`. */
export const movesAre = (page, sans) => waitIn(page,
  (want) => JSON.stringify([...document.querySelectorAll('#moves li')].map((li) => li.textContent)) === JSON.stringify(want),
  sans, `moves ${sans.join(' ')}`);

export const moves = (page) => page.$$eval('#moves li', (items) => items.map((li) => li.textContent));
export const pieceAt = (page, square) => page.getAttribute(`[data-square="${square}"]`, 'data-piece');
export const fen = (page) => page.getAttribute('#board', 'data-fen');
export const text = (page, id) => page.textContent(`#${id}`);

/** Plays a move by clicking its two squares, as a person does. */
export async function clickMove(page, from, to) {
  await page.click(`[data-square="${from}"]`);
  await page.click(`[data-square="${to}"]`);
}

/** Waits until the presence list shows exactly these users, each over `protocol`. */
export const presenceIs = (page, users, protocol = 'websocket') => waitIn(page,
  ([want, p]) => {
    const items = [...document.querySelectorAll('#presence li')];
    return JSON.stringify(items.map((li) => li.dataset.user).sort()) === JSON.stringify([...want].sort())
      && items.every((li) => li.dataset.protocol === p);
  }, [users, protocol], `presence ${users.join(', ')}`);

export const noticeMatches = (page, pattern) => waitIn(page,
  (source) => new RegExp(source).test(document.getElementById('notice').textContent), pattern.source, `notice ${pattern}`);
