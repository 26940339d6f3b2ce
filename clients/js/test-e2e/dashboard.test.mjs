// The live dashboard in a real browser: it must follow traffic that a client makes while it watches.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { connect } from '../src/index.js';
import { HTTP_URL, WS_URL, freshRoom } from '../test/support/env.mjs';
import { skipReason, launch, openPage } from './support/browser.mjs';
import { waitIn } from './support/board.mjs';

const skip = skipReason() ?? false;
let browser;

before(async () => { if (!skip) browser = await launch(); });
after(async () => { await browser?.close(); });

/** A token from the server's development endpoint, as the demo page gets one. */
async function demoToken(user, room) {
  const response = await fetch(`${HTTP_URL}/demo/token?${new URLSearchParams({ user, room })}`);
  assert.equal(response.status, 200, 'GET /demo/token (the server must run in dev mode)');
  return (await response.json()).token;
}

const valueOf = (page, id) => page.getAttribute(`#${id}`, 'data-value');

test('the dashboard draws connections, message rate, delivery p99, rooms and partitions from /metrics as they change', { skip }, async (t) => {
  const watch = await openPage(browser, [HTTP_URL]);
  const { page } = watch;
  await page.goto(`${HTTP_URL}/dashboard`);
  await waitIn(page, () => Number(document.getElementById('scrape').dataset.scrapes) >= 2, undefined, 'two scrapes');

  const room = freshRoom();
  const client = connect({ url: WS_URL, getToken: () => demoToken('dash', room) });
  let publishing = true;
  t.after(async () => { publishing = false; await client.close(); });
  await client.join(room);
  const load = (async () => {
    for (let i = 0; publishing; i += 1) {
      await client.publish(room, 'chat.message', { text: `tick ${i}` });
      await new Promise((resolve) => setTimeout(resolve, 50)); // a steady trickle of traffic, not a wait for anything
    }
  })();

  await waitIn(page, () => Number(document.getElementById('value-connections').dataset.value) >= 1, undefined, 'an open connection');
  await waitIn(page, () => Number(document.getElementById('value-messages').dataset.value) > 0, undefined, 'a message rate');
  await waitIn(page, () => Number(document.getElementById('value-p99').dataset.value) > 0, undefined, 'a delivery p99');
  await waitIn(page, () => Number(document.getElementById('value-rooms').dataset.value) >= 1, undefined, 'a loaded room');
  assert.ok(Number(await valueOf(page, 'value-partitions')) >= 1);
  assert.ok(await page.$('#chart-connections polyline[data-series="websocket"], #chart-connections circle[data-series="websocket"]'),
    'a line for the websocket protocol');
  assert.ok(await page.$('#chart-messages polyline'), 'a line of the message rate');
  assert.ok((await page.$$('#chart-queue rect')).length >= 1, 'a bar per partition');
  assert.match(await page.textContent('#legend-connections'), /websocket/);
  // The README shows what this test last saw.
  const shots = fileURLToPath(new URL('../../../docs/images/', import.meta.url));
  mkdirSync(shots, { recursive: true });
  await page.screenshot({ path: `${shots}dashboard.png`, fullPage: true });

  publishing = false;
  await load;
  await client.close();
  await waitIn(page, () => Number(document.getElementById('value-connections').dataset.value) === 0, undefined, 'the connection gone');
  assert.deepEqual(watch.offsite, []);
  assert.deepEqual(watch.errors, []);
});

test('a failing scrape is shown and the dashboard keeps trying', { skip }, async () => {
  const watch = await openPage(browser, [HTTP_URL]);
  const { page } = watch;
  let failing = true;
  await page.route('**/metrics', (route) => (failing ? route.fulfill({ status: 503, body: 'down' }) : route.continue()));
  await page.goto(`${HTTP_URL}/dashboard`);
  await waitIn(page, () => document.getElementById('scrape').textContent.includes('503'), undefined, 'the failure shown');
  failing = false;
  await waitIn(page, () => Number(document.getElementById('scrape').dataset.scrapes) >= 1, undefined, 'a scrape after recovery');
  assert.deepEqual(watch.offsite, []);
});
