// The operations pages: workers and pools, schedules (pause and unpause through the page), endpoints, the audit log
// and its chain, tokens (a secret shown once, revoked).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { api, closePage, fixtures, openPage, until } from './harness.mjs';

const unique = (prefix) => `${prefix}-${Date.now().toString(36)}-${Math.floor(Math.random() * 1e6).toString(36)}`;
const P = fixtures.project;

test('workers page shows the online worker(s) and a pool row', async () => {
  const workers = (await api('/workers')).items.filter((w) => w.status === 'ONLINE');
  assert.ok(workers.length > 0, 'the cluster has an online worker');
  const page = await openPage('/workers');
  try {
    // each shows the status the API gives: other test classes stop workers of the shared cluster, so one ONLINE at
    // the first read may be OFFLINE (its heartbeat timed out) by the time the page draws it; the page refreshes
    const statuses = async () => new Map((await api('/workers')).items.map((w) => [w.name, w.status]));
    for (const w of workers) {
      const status = page.locator(`[data-testid="worker-status"][data-worker="${w.name}"]`);
      await status.waitFor();
      await until(async () => (await status.textContent()).trim() === (await statuses()).get(w.name), {
        what: `the page to show ${w.name}'s status as the API does`,
      });
    }
    // and the worker this test's cluster started for it (alive throughout) among them, ONLINE on both
    await until(
      async () => {
        const known = await statuses();
        const shown = await page.locator('[data-testid="worker-status"]').evaluateAll((els) =>
          els.map((e) => [e.dataset.worker, e.textContent.trim()]),
        );
        return shown.some(([name, st]) => st === 'ONLINE' && known.get(name) === 'ONLINE');
      },
      { what: 'a worker shown ONLINE that the API says is online' },
    );
    const pools = (await api('/pools')).items;
    const names = await page.locator('[data-testid="pools"] [data-testid="pool-name"]').allTextContents();
    assert.ok(names.length >= 1, 'a pool row');
    for (const p of pools) assert.ok(names.includes(p.name), `pool ${p.name} listed (${names})`);
  } finally {
    await closePage(page);
  }
});

test('a schedule shows its next fires; Unpause then Pause through the page change it', async () => {
  const name = unique('ui-sched');
  const created = await api('/schedules', {
    method: 'POST',
    body: { name, project: P, pipeline: fixtures.pipeline, cron: '0 3 * * *', paused: true, note: 'browser test' },
  });
  assert.equal(created.paused, true);
  const get = () => api(`/schedules/${encodeURIComponent(name)}?project=${encodeURIComponent(P)}`);
  const page = await openPage(`/schedules?project=${encodeURIComponent(P)}`);
  page.on('dialog', (d) => d.accept());
  try {
    const row = page.locator('[data-testid="schedules"] tr', { has: page.locator(`[data-testid="schedule"][data-name="${name}"]`) });
    await row.waitFor();
    assert.equal(await row.locator('[data-testid="schedule"]').getAttribute('data-state'), 'PAUSED');
    assert.equal(await row.locator('[data-testid="next-fire"]').count(), 3);
    assert.match(await row.locator('[data-testid="next-fire"]').first().textContent(), /03:00 UTC/);

    await row.locator('[data-testid="unpause"]').click();
    await until(async () => (await get()).paused === false, { what: 'the schedule unpaused' });
    await until(async () => (await row.locator('[data-testid="schedule"]').getAttribute('data-state')) === 'ACTIVE', {
      what: 'the page showing ACTIVE',
    });

    await row.locator('[data-testid="pause"]').click();
    await until(async () => (await get()).paused === true, { what: 'the schedule paused' });
    await until(async () => (await row.locator('[data-testid="schedule"]').getAttribute('data-state')) === 'PAUSED', {
      what: 'the page showing PAUSED',
    });

    // its own page: the same next fires and state
    await page.goto(`${fixtures.baseUrl}/#/schedules/${encodeURIComponent(name)}?project=${encodeURIComponent(P)}`);
    const one = page.locator('[data-testid="schedule-page"]');
    await one.waitFor();
    assert.equal(await one.getAttribute('data-state'), 'PAUSED');
    assert.equal(await one.locator('[data-testid="next-fire"]').count(), created.nextRunTimes.length);
  } finally {
    await closePage(page);
    await api(`/schedules/${encodeURIComponent(name)}?project=${encodeURIComponent(P)}`, { method: 'DELETE' });
  }
});

test('endpoints page lists the endpoints the API has, or says there are none', async () => {
  const endpoints = (await api('/endpoints')).items;
  const page = await openPage('/endpoints');
  try {
    if (endpoints.length === 0) {
      await page.getByText('No endpoints.').waitFor();
    } else {
      await page.locator('[data-testid="endpoint"]').first().waitFor();
      const names = await page.locator('[data-testid="endpoint"]').evaluateAll((xs) => xs.map((x) => x.dataset.name));
      for (const e of endpoints) assert.ok(names.includes(e.name), `endpoint ${e.name} listed`);
      const e = endpoints[0];
      await page.locator(`[data-testid="endpoint"][data-name="${e.name}"]`).first().click();
      const one = page.locator('[data-testid="endpoint-page"]');
      await one.waitFor();
      assert.equal(await one.getAttribute('data-status'), e.status);
      await page.locator('[data-testid="endpoint-history"]').waitFor();
    }
  } finally {
    await closePage(page);
  }
});

test('audit page shows entries, and Verify chain reports the chain valid', async () => {
  const newest = (await api('/audit?limit=1')).items[0];
  const page = await openPage('/audit');
  try {
    await page.locator('[data-testid="audit"] tbody tr').first().waitFor();
    assert.ok((await page.locator('[data-testid="audit"] tbody tr').count()) >= 1);
    const first = Number(await page.locator('[data-testid="audit-seq"]').first().textContent());
    assert.ok(first >= newest.seq, `the newest entry first (${first} >= ${newest.seq})`);

    // paging: Load more appends the next page (when the log has more than one)
    if ((await api('/audit?limit=50')).nextCursor) {
      const before = await page.locator('[data-testid="audit"] tbody tr').count();
      await page.locator('[data-testid="load-more"]').click();
      await until(async () => (await page.locator('[data-testid="audit"] tbody tr').count()) > before, {
        what: 'a second page of entries',
      });
      const seqs = (await page.locator('[data-testid="audit-seq"]').allTextContents()).map(Number);
      assert.equal(new Set(seqs).size, seqs.length, 'no entry twice');
      assert.ok(seqs.every((x, i) => i === 0 || x < seqs[i - 1]), 'newest first');
    }

    // a filter by action: every row has that action
    await page.locator('[data-testid="audit-filters"] input[name="action"]').fill(newest.action);
    await page.locator('[data-testid="audit-apply"]').click();
    await until(async () => {
      const shown = await page.locator('[data-testid="audit-action"]').allTextContents();
      return shown.length > 0 && shown.every((a) => a === newest.action);
    }, { what: 'the rows filtered by action' });

    await page.locator('[data-testid="verify"]').click();
    const result = page.locator('[data-testid="verify-result"]');
    await result.waitFor();
    assert.equal(await result.getAttribute('data-valid'), 'true');
    assert.match(await result.textContent(), /Chain valid/);
  } finally {
    await closePage(page);
  }
});

test('tokens page creates a token, shows its secret once, and revokes it', async () => {
  const name = unique('ui-token');
  const page = await openPage('/tokens');
  page.on('dialog', (d) => d.accept());
  try {
    await page.locator('[data-testid="token-name"]').fill(name);
    await page.locator('[data-testid="create-token"]').click();
    const secret = await page.locator('[data-testid="token-secret"]').textContent();
    assert.match(secret, /^bt_/);
    // the secret works, once listed the API shows no secret
    const me = await api('/me', { token: secret });
    assert.ok(me.user.name);
    const listed = (await api('/tokens')).items.find((t) => t.name === name);
    assert.ok(listed, 'the token is listed by the API');
    assert.equal(listed.token, null);

    await page.locator('[data-testid="token-done"]').click();
    assert.equal(await page.locator('[data-testid="token-secret"]').count(), 0, 'the secret is gone from the page');
    const row = page.locator('[data-testid="tokens"] tr', { has: page.locator(`[data-testid="token-row"][data-name="${name}"]`) });
    await row.waitFor();
    await row.locator('[data-testid="delete-token"]').click();
    await until(async () => (await api('/tokens')).items.every((t) => t.name !== name), { what: 'the token revoked' });
    await row.waitFor({ state: 'detached' });
    await assert.rejects(api('/me', { token: secret }), /401/);
  } finally {
    await closePage(page);
  }
});

test('an editor sees the workers and their own tokens, without Drain or Verify chain', async (t) => {
  if (!fixtures.user?.token) return t.skip('no editor user in the fixtures');
  const page = await openPage('/workers', { token: fixtures.user.token });
  try {
    await page.locator('[data-testid="worker-status"]').first().waitFor();
    assert.equal(await page.locator('[data-testid="drain"]').count(), 0);
    await page.goto(`${fixtures.baseUrl}/#/tokens`);
    await page.locator('[data-testid="tokens"]').waitFor();
    const owners = await page.locator('[data-testid="token-row"]').count();
    const own = (await api('/tokens', { token: fixtures.user.token })).items.length;
    assert.equal(owners, own);
    await page.goto(`${fixtures.baseUrl}/#/audit`);
    await page.locator('[data-testid="audit-filters"]').waitFor();
    assert.equal(await page.locator('[data-testid="verify"]').count(), 0);
  } finally {
    await closePage(page);
  }
});
