// The registry's pages in a browser: models (an alias moved through the page, its history, a protected alias refused
// for an editor), pipelines (the parameters form starts a run, a bad value shows the server's details) and datasets
// (one made through the API in the test, its file downloaded from the page).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import yaml from 'js-yaml';
import { api, baseUrl, closePage, fixtures, openPage, until } from './harness.mjs';

const P = fixtures.project;
const model = fixtures.model.name;
const [v1, v2] = fixtures.model.versions;
const unique = (prefix) => `${prefix}${Date.now().toString(36)}${Math.floor(Math.random() * 1e6).toString(36)}`;
const q = (s) => encodeURIComponent(s);

test('the models page lists the fixtures model with its latest version', async () => {
  const page = await openPage(`/models?project=${P}`);
  try {
    const link = page.getByTestId('model-link').filter({ hasText: model });
    await link.waitFor();
    await link.click();
    await page.locator(`[data-testid=model-version][data-version="${v2}"]`).waitFor();
    const versions = await page.getByTestId('model-version').allTextContents();
    assert.ok(versions.includes(`v${v1}`) && versions.includes(`v${v2}`), `versions shown: ${versions}`);
    assert.match(page.url(), new RegExp(`#/models/${model}\\?project=${P}`));
    // the lineage of the newest version names the run that registered it
    const latest = await api(`/models/${q(model)}/versions/${v2}?project=${P}`);
    await page.getByTestId('lineage-run').filter({ hasText: latest.run.slice(0, 12) }).first().waitFor();
  } finally {
    await closePage(page);
  }
});

test('an alias moves from version 1 to 2 through the model page, and its history shows the move', async () => {
  const alias = unique('staging');
  const path = `/models/${q(model)}/aliases/${alias}?project=${P}`;
  await api(path, { method: 'PUT', body: { version: v1 } });
  const page = await openPage(`/models/${model}?project=${P}&alias=${alias}`);
  try {
    await page.locator(`[data-testid=alias-row][data-alias="${alias}"][data-version="${v1}"]`).waitFor();
    await page.getByTestId('alias-name').fill(alias);
    await page.getByTestId('alias-version').selectOption(String(v2));
    await page.getByTestId('set-alias').click();
    await until(async () => (await api(path)).version === v2, { what: `${alias} to point at v${v2}` });
    await page.locator(`[data-testid=alias-row][data-alias="${alias}"][data-version="${v2}"]`).waitFor();
    const history = page.getByTestId('alias-history');
    await history.locator(`[data-testid=history-row][data-from="${v1}"][data-to="${v2}"]`).waitFor();
    assert.match(await history.innerText(), new RegExp(`v${v1} → v${v2}`));
    // deleting it from the page is kept as a move to nothing
    page.once('dialog', (d) => d.accept());
    await page.locator(`tr:has([data-alias="${alias}"]) [data-testid=delete-alias]`).click();
    await until(async () => (await api(`/models/${q(model)}/aliases/${alias}/history?project=${P}`)).items[0].to === null, {
      what: `${alias} to be deleted`,
    });
    await page.locator(`[data-testid=alias-row][data-alias="${alias}"]`).waitFor({ state: 'detached' });
  } finally {
    await closePage(page);
  }
});

test("an editor without the promote permission sees the server's 403 when moving a protected alias", { skip: !fixtures.user?.token && 'no user in the fixtures' }, async () => {
  const page = await openPage(`/models/${model}?project=${P}`, { token: fixtures.user.token });
  try {
    const before = await api(`/models/${q(model)}?project=${P}`);
    await page.getByTestId('alias-name').fill('production');
    await page.getByTestId('alias-version').selectOption(String(v2));
    await page.getByTestId('set-alias').click();
    const error = page.getByTestId('alias-error');
    await error.waitFor();
    assert.match(await error.innerText(), /promote/i);
    const after = await api(`/models/${q(model)}?project=${P}`);
    assert.equal(after.aliases.production, before.aliases.production);
  } finally {
    await closePage(page);
  }
});

test('a pipeline page shows its parameters and its Run button starts a run', async () => {
  const versions = await api(`/pipelines/${q(fixtures.pipeline)}/versions?project=${P}`);
  const latest = await api(`/pipelines/${q(fixtures.pipeline)}/versions/${versions.items[0].version}?project=${P}`);
  const declared = yaml.load(latest.spec).parameters ?? [];
  const page = await openPage(`/pipelines/${fixtures.pipeline}?project=${P}`);
  let runId;
  try {
    await page.getByTestId('run-form').waitFor();
    for (const p of declared) await page.locator(`[data-testid=param][data-param="${p.name}"]`).waitFor();
    assert.equal(await page.getByTestId('param').count(), declared.length);
    assert.match(await page.getByTestId('pipeline-spec').innerText(), new RegExp(`name: ${fixtures.pipeline}`));

    // a value the server refuses: its message and details show, and no run starts
    const numeric = declared.find((p) => p.type === 'integer' || p.type === 'float');
    if (numeric) {
      await page.getByTestId(`param-${numeric.name}`).fill('not-a-number');
      await page.getByTestId('run-button').click();
      const error = page.getByTestId('run-form').getByRole('alert');
      await error.waitFor();
      assert.match(await error.innerText(), new RegExp(numeric.name));
      assert.match(page.url(), /#\/pipelines\//);
      await page.getByTestId(`param-${numeric.name}`).fill(String(numeric.default ?? numeric.min ?? 1));
    }

    await page.getByTestId('run-button').click();
    await page.waitForURL(/#\/runs\/[0-9a-f-]+$/);
    runId = decodeURIComponent(page.url().split('#/runs/')[1]);
    const run = await api(`/runs/${runId}`);
    assert.equal(run.project, P);
    assert.equal(run.pipeline, fixtures.pipeline);
    assert.equal(run.pipelineVersion, latest.version);
  } finally {
    if (runId) {
      await api(`/runs/${runId}/cancel`, { method: 'POST' }).catch((e) => {
        if (!/409/.test(e.message)) throw e; // it ended already
      });
    }
    await closePage(page);
  }
});

test('the datasets page shows a dataset made through the API, and its page downloads a file', async () => {
  const name = unique('ui-data-');
  const bytes = `x,y\n1,2\n${name}\n`;
  const res = await fetch(`${baseUrl}/api/v1/blobs`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${fixtures.adminToken}`, 'Content-Type': 'application/octet-stream' },
    body: bytes,
  });
  assert.equal(res.status, 200);
  const blob = await res.json();
  assert.equal(blob.sha256, createHash('sha256').update(bytes).digest('hex'));
  await api('/datasets', { method: 'POST', body: { name, project: P, description: 'made by registry.test.mjs' } });
  await api(`/datasets/${name}/versions?project=${P}`, {
    method: 'POST',
    body: { files: [{ path: 'data/train.csv', sha256: blob.sha256 }] },
  });

  const page = await openPage(`/datasets?project=${P}`);
  try {
    const link = page.getByTestId('dataset-link').filter({ hasText: name });
    await link.waitFor();
    await link.click();
    await page.locator('[data-testid=dataset-version][data-version="1"]').waitFor();
    const files = page.getByTestId('dataset-files-table');
    await files.getByText('data/train.csv').waitFor();
    const [download] = await Promise.all([page.waitForEvent('download'), files.getByTestId('download').click()]);
    assert.equal(download.suggestedFilename(), 'train.csv');
    assert.equal(await readFile(await download.path(), 'utf8'), bytes);
  } finally {
    await closePage(page);
  }
});
