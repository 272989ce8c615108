// The runs, a run and the compare page in a real browser: the finished runs and their DAG, a live run's chart and
// log growing while it trains, two runs compared, a failed run's exit code, a run cancelled from its page.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { api, closePage, fixtures, openPage, until } from './harness.mjs';

const userToken = fixtures.user.token;
const [runA, runB] = fixtures.runs.finished;
const attr = (page, selector, name) => page.locator(selector).first().getAttribute(name);

test('the runs page lists the runs with their statuses and opens a run', async () => {
  const page = await openPage('/runs', { token: userToken });
  const table = page.locator('[data-testid=runs-table]');
  await table.locator(`a[title="${runA}"]`).waitFor();
  const row = table.locator('tr', { has: page.locator(`a[title="${runA}"]`) });
  assert.match(await row.innerText(), /SUCCEEDED/);
  assert.match(await table.locator('tr', { has: page.locator(`a[title="${fixtures.runs.failed}"]`) }).innerText(), /FAILED/);
  await row.locator(`a[title="${runA}"]`).click();
  await page.waitForURL(new RegExp(`#/runs/${runA}`));
  await page.locator('[data-testid=dag] [data-step]').first().waitFor();
  const run = await api(`/runs/${runA}`);
  const nodes = await page.locator('[data-testid=dag] [data-step]').evaluateAll((gs) => gs.map((g) => [g.dataset.step, g.dataset.status]));
  assert.deepEqual(nodes, run.steps.map((s) => [s.name, s.status]), 'one node per step, with its status');
  const attempts = page.locator('[data-testid=attempts] tbody tr');
  assert.equal(await attempts.count(), run.steps.reduce((n, s) => n + Math.max(1, s.attempts.length), 0));
  const first = run.steps[0].attempts[0];
  assert.match(await attempts.first().innerText(), new RegExp(`${first.worker}[\\s\\S]*\\b0\\b`), 'worker and exit code shown');
  await closePage(page);
});

test('the filters narrow the list through the API', async () => {
  const page = await openPage('/runs?status=FAILED', { token: userToken });
  const table = page.locator('[data-testid=runs-table]');
  await table.locator(`a[title="${fixtures.runs.failed}"]`).waitFor();
  assert.equal(await table.locator(`a[title="${runA}"]`).count(), 0, 'a SUCCEEDED run is not listed under status FAILED');
  await closePage(page);
});

test("a live run's metric chart grows while it trains", async () => {
  const page = await openPage(`/runs/${fixtures.runs.live}?tab=metrics`, { token: userToken });
  const chart = '[data-testid=chart][data-metric=loss]';
  await page.locator(chart).waitFor();
  const before = Number(await attr(page, chart, 'data-points'));
  assert.ok(before >= 1);
  const after = await until(async () => {
    const n = Number(await attr(page, chart, 'data-points'));
    return n > before + 2 && n;
  }, { what: 'the loss chart to draw new points' });
  // what it draws is what the API has (give or take the points reported since)
  const series = (await api(`/runs/${fixtures.runs.live}/metrics`)).series.find((s) => s.name === 'loss');
  assert.ok(series.points.length >= after, `${series.points.length} points stored, ${after} drawn`);
  assert.ok(await page.locator(`${chart} canvas`).count() > 0, 'uPlot drew on a canvas');
  await closePage(page);
});

test("a live step's log is followed", async () => {
  const page = await openPage(`/runs/${fixtures.runs.live}?tab=logs&step=train`, { token: userToken });
  const log = page.locator('[data-testid=log]');
  await until(async () => Number(await log.getAttribute('data-lines')) > 0, { what: 'the first log lines' });
  assert.match(await page.locator('[data-testid=log-state]').innerText(), /following/);
  const before = Number(await log.getAttribute('data-lines'));
  await until(async () => Number(await log.getAttribute('data-lines')) > before + 2, { what: 'new log lines to arrive' });
  await closePage(page);
});

test('two runs chosen on the runs page are compared: parameters diffed, metrics overlaid', async () => {
  const page = await openPage('/runs', { token: userToken });
  const table = page.locator('[data-testid=runs-table]');
  for (const id of [runA, runB]) {
    await table.locator('tr', { has: page.locator(`a[title="${id}"]`) }).locator('[data-testid=select-run]').check();
  }
  await page.locator('[data-testid=compare-selected]').click();
  await page.waitForURL(/#\/compare\?ids=/);
  const lr = page.locator('[data-testid=param-diff] tr', { hasText: 'lr' });
  await lr.waitFor();
  assert.equal(await lr.getAttribute('data-differs'), 'true', 'the runs differ in lr');
  const [a, b] = await Promise.all([api(`/runs/${runA}`), api(`/runs/${runB}`)]);
  const cells = await lr.locator('td').allInnerTexts();
  assert.deepEqual(cells.slice(1), [JSON.stringify(a.parameters.lr), JSON.stringify(b.parameters.lr)]);
  const chart = page.locator('[data-testid=compare-charts] [data-testid=chart][data-metric=loss]');
  await chart.waitFor();
  assert.ok(Number(await chart.getAttribute('data-series')) >= 2, 'one loss curve per run at least');
  await page.locator('[data-testid=only-diff]').check();
  assert.equal(await page.locator('[data-testid=param-diff] tr[data-differs=false]').count(), 0);
  await closePage(page);
});

test("a failed run shows the failing attempt's exit code and log", async () => {
  const run = await api(`/runs/${fixtures.runs.failed}`);
  const failed = run.steps.find((s) => s.status === 'FAILED');
  const page = await openPage(`/runs/${run.id}`, { token: userToken });
  const row = page.locator('[data-testid=attempts] tbody tr', { hasText: failed.name });
  await row.first().waitFor();
  assert.match(await row.first().innerText(), new RegExp(`FAILED[\\s\\S]*\\b${failed.exitCode}\\b`));
  await page.locator(`[data-testid=dag] [data-step="${failed.name}"]`).click();
  await page.locator('[data-testid=log-state][data-phase=ended]').waitFor();
  assert.equal(await page.locator('[data-testid=log-step]').inputValue(), failed.name, "the clicked step's log");
  const expected = await api(`/runs/${run.id}/steps/${encodeURIComponent(failed.name)}/logs`);
  assert.equal((await page.locator('[data-testid=log]').innerText()).trim(), expected.trim());
  await closePage(page);
});

test('a run is cancelled from its page', async () => {
  const page = await openPage(`/runs/${fixtures.runs.live}`, { token: userToken });
  page.on('dialog', (d) => d.accept());
  await page.locator('[data-testid=cancel-run]').click();
  await until(async () => (await api(`/runs/${fixtures.runs.live}`)).status === 'CANCELLED', { timeout: 30_000, what: 'the run to be cancelled' });
  await page.locator('h1 .status-cancelled').waitFor();
  await closePage(page);
});
