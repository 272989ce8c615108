// What every browser test shares: the fixtures the JUnit side prepared (WebUiBrowserTest writes them as JSON and
// names the file in BATON_UI_FIXTURES), Debian's Chromium driven by playwright-core, a page signed in by token,
// and the API itself for setting up and checking what a test did.
import { after, before } from 'node:test';
import { readFileSync } from 'node:fs';
import { chromium } from 'playwright-core';

export const fixtures = JSON.parse(readFileSync(process.env.BATON_UI_FIXTURES, 'utf8'));
export const baseUrl = fixtures.baseUrl;

let browser;
before(async () => {
  browser = await chromium.launch({
    executablePath: process.env.BATON_CHROMIUM || '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-dev-shm-usage', '--disable-gpu'],
  });
});
after(async () => {
  await browser?.close();
});

/**
 * A new browser tab, signed in by putting the token into its sessionStorage as the sign-in page does, at a route
 * (`/runs/ID`). Errors the page logs fail the test that opened it at its end (see expectNoPageErrors).
 */
export async function openPage(route = '/runs', { token = fixtures.adminToken, width = 1400, height = 900 } = {}) {
  const context = await browser.newContext({ viewport: { width, height } });
  const page = await context.newPage();
  page.errors = [];
  page.on('pageerror', (e) => page.errors.push(String(e)));
  page.on('console', (m) => {
    if (m.type() === 'error' && !/status of (4\d\d)/.test(m.text())) page.errors.push(m.text());
  });
  if (token) {
    await context.addInitScript((t) => sessionStorage.setItem('baton.token', t), token);
  }
  await page.goto(`${baseUrl}/#${route}`);
  return page;
}

/** A blank tab, not signed in. */
export async function openSignedOut(route = '/runs') {
  return openPage(route, { token: null });
}

export async function closePage(page) {
  const errors = page.errors;
  await page.context().close();
  if (errors.length) throw new Error(`the page logged errors: ${errors.join(' | ')}`);
}

/** The API, as the tests' own client (admin token unless given). */
export async function api(path, { method = 'GET', body, token = fixtures.adminToken } = {}) {
  const res = await fetch(`${baseUrl}/api/v1${path}`, {
    method,
    headers: {
      Authorization: `Bearer ${token}`,
      ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${text}`);
  return text && res.headers.get('content-type')?.includes('json') ? JSON.parse(text) : text;
}

/** Waits (bounded) until fn() is truthy; returns its value. */
export async function until(fn, { timeout = 20_000, interval = 200, what = 'the condition' } = {}) {
  const end = Date.now() + timeout;
  let last;
  for (;;) {
    try {
      last = await fn();
      if (last) return last;
    } catch (e) {
      last = e;
    }
    if (Date.now() > end) throw new Error(`timed out waiting for ${what} (last: ${last})`);
    await new Promise((r) => setTimeout(r, interval));
  }
}
