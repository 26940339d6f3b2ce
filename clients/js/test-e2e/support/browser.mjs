// Headless Chromium for the browser tests (Debian's /usr/bin/chromium driven by playwright-core,
// which downloads no browser of its own). Every page is watched: a request to anywhere but the
// server under test is blocked and recorded, so a page that needs the network fails its test.
import { existsSync } from 'node:fs';
import { chromium } from 'playwright-core';

export const CHROMIUM = process.env.PLAYCONNECT_CHROMIUM ?? '/usr/bin/chromium';
export const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const CI = process.env.CI === 'true';

/** Why the browser tests cannot run here, or null. Under CI=true a missing browser is a failure, never a skip. */
export function skipReason() {
  if (existsSync(CHROMIUM)) {
    return null;
  }
  const reason = `no Chromium at ${CHROMIUM} (apt-get install chromium)`;
  if (CI) {
    throw new Error(`${reason}: the browser tests must run under CI`);
  }
  return reason;
}

/** A browser with its own fresh profile (playwright makes a new temporary user-data-dir per launch). */
export async function launch() {
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: FLAGS });
}

/**
 * A new isolated context (its own storage, as another person's browser) with one page, whose
 * requests may only go to the origins in `allowed`; anything else is aborted and listed in
 * `offsite`. Console errors and page errors are listed in `errors`.
 */
export async function openPage(browser, allowed) {
  const context = await browser.newContext();
  const page = await context.newPage();
  const watch = { page, context, offsite: [], errors: [] };
  const origins = new Set(allowed.map((u) => new URL(u).host));
  await context.route('**/*', (route) => {
    const url = new URL(route.request().url());
    if (origins.has(url.host) || url.protocol === 'data:') {
      return route.continue();
    }
    watch.offsite.push(url.toString());
    return route.abort('blockedbyclient');
  });
  page.on('console', (m) => { if (m.type() === 'error') watch.errors.push(m.text()); });
  page.on('pageerror', (e) => watch.errors.push(String(e)));
  return watch;
}
