// The harness end to end: the page loads under its CSP without errors, and signing in and out by password works.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { baseUrl, closePage, fixtures, openPage, openSignedOut, until } from './harness.mjs';

test('the page at / is served under a self-only CSP and loads without errors', async () => {
  const res = await fetch(`${baseUrl}/`);
  assert.equal(res.status, 200);
  const csp = res.headers.get('content-security-policy') ?? '';
  assert.match(csp, /script-src 'self'/);
  assert.match(csp, /style-src 'self'/);
  assert.match(await res.text(), /<div id="app">|<script/);

  const page = await openPage('/runs');
  await until(() => page.locator('[data-testid=me]').textContent(), { what: 'the signed-in user in the header' });
  await closePage(page);
});

async function signIn(page, password) {
  await page.locator('[data-testid=signin-name]').fill(fixtures.user.name);
  await page.locator('[data-testid=signin-password]').fill(password);
  await page.locator('[data-testid=signin-submit]').click();
}

test('signing in with a name and password shows the user, and signing out returns to the sign-in form', async () => {
  const page = await openSignedOut('/runs');
  await page.locator('[data-testid=signin-name]').waitFor();
  await signIn(page, fixtures.user.password);
  await until(async () => (await page.locator('[data-testid=me]').textContent()) === fixtures.user.name, {
    what: `${fixtures.user.name} in the header`,
  });
  assert.ok(await page.evaluate(() => sessionStorage.getItem('baton.token')), 'the token is kept in the tab');

  await page.locator('[data-testid=sign-out]').click();
  await page.locator('[data-testid=signin-name]').waitFor();
  assert.equal(await page.locator('[data-testid=me]').count(), 0);
  assert.equal(await page.evaluate(() => sessionStorage.getItem('baton.token')), null);
  await closePage(page);
});

test('a wrong password shows an error and keeps the sign-in form', async () => {
  const page = await openSignedOut('/runs');
  await page.locator('[data-testid=signin-name]').waitFor();
  await signIn(page, `${fixtures.user.password} but wrong`);
  const alert = page.locator('.signin [role=alert]');
  await alert.waitFor();
  assert.match(await alert.textContent(), /not valid/);
  assert.equal(await page.locator('[data-testid=me]').count(), 0);
  assert.equal(await page.evaluate(() => sessionStorage.getItem('baton.token')), null);
  await closePage(page);
});
