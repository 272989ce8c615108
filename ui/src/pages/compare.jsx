// Runs side by side: which parameters differ, their final metrics, and every metric's curves overlaid (a series per
// run and step). #/compare?ids=A,B,...
import { useMemo, useState } from 'preact/hooks';
import { api, seg } from '../api.js';
import { MetricCharts } from '../chart.jsx';
import { navigate } from '../router.js';
import { ErrorBox, Link, Page, Section, Status, Table, Time, short, useLoad } from '../ui.jsx';
import { fmt } from './runs.jsx';
import './compare.css';

export function ComparePage({ route }) {
  const ids = (route.query.ids ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  const key = ids.join(',');
  const state = useLoad(
    () =>
      Promise.all(
        ids.map(async (id) => {
          // a run and its series together, as the run's own page asks for them
          const [run, metrics] = await Promise.all([api(`/runs/${seg(id)}`), api(`/runs/${seg(id)}/metrics`)]);
          return { run, metrics };
        }),
      ),
    [key],
  );
  const [onlyDiff, setOnlyDiff] = useState(false);
  const setIds = (list) => navigate(['compare'], { ids: list.join(',') }, { replace: true });
  return (
    <Page
      title="Compare runs"
      subtitle={ids.length < 2 ? 'Choose two or more runs on the Runs page (their boxes), or add ids here.' : `${ids.length} runs`}
      actions={<AddRun ids={ids} setIds={setIds} />}
    >
      {ids.length === 0 ? (
        <p>
          <Link to={['runs']}>Runs</Link>: tick the runs to compare, then “Compare”.
        </p>
      ) : state.data === undefined ? (
        state.error ? <ErrorBox error={state.error} /> : <div class="muted">Loading…</div>
      ) : (
        <Compared entries={state.data} onlyDiff={onlyDiff} setOnlyDiff={setOnlyDiff} remove={(id) => setIds(ids.filter((x) => x !== id))} />
      )}
    </Page>
  );
}

function AddRun({ ids, setIds }) {
  return (
    <form
      class="add-run"
      onSubmit={(e) => {
        e.preventDefault();
        const id = new FormData(e.currentTarget).get('id').trim();
        if (id && !ids.includes(id)) setIds([...ids, id]);
        e.currentTarget.reset();
      }}
    >
      <input name="id" placeholder="a run's id" aria-label="add a run by id" />
      <button type="submit">Add</button>
    </form>
  );
}

const same = (values) => values.every((v) => JSON.stringify(v) === JSON.stringify(values[0]));

function Compared({ entries, onlyDiff, setOnlyDiff, remove }) {
  const runs = entries.map((e) => e.run);
  const paramNames = [...new Set(runs.flatMap((r) => Object.keys(r.parameters ?? {})))].sort();
  const metricNames = [...new Set(runs.flatMap((r) => Object.keys(r.metrics ?? {})))].sort();
  const paramRows = paramNames
    .map((name) => ({ name, values: runs.map((r) => r.parameters?.[name]) }))
    .filter((row) => !onlyDiff || !same(row.values));
  const metricRows = metricNames.map((name) => ({ name, values: runs.map((r) => r.metrics?.[name]) }));
  const series = useMemo(
    () =>
      entries.flatMap((e, i) =>
        e.metrics.series
          .filter((s) => s.points.length > 1)
          .map((s) => ({ name: s.name, label: `${short(e.run.id)} ${s.step}${s.attempt > 1 ? ` #${s.attempt}` : ''}`, points: s.points, run: i })),
      ),
    [entries],
  );
  const runColumns = runs.map((r, i) => ({
    title: (
      <span class="run-col">
        <Link to={['runs', r.id]} class="mono">{short(r.id)}</Link>
        <button type="button" class="link remove" title="take this run out" onClick={() => remove(r.id)}>
          ×
        </button>
      </span>
    ),
    key: r.id,
    i,
  }));
  return (
    <>
      <Section title="Runs">
        <Table
          testid="compare-runs"
          rows={runs}
          rowKey={(r) => r.id}
          columns={[
            { title: 'Run', cell: (r) => <Link to={['runs', r.id]} class="mono">{short(r.id)}</Link> },
            { title: 'Pipeline', cell: (r) => `${r.pipeline ?? '–'}${r.pipelineVersion ? ` v${r.pipelineVersion}` : ''}` },
            { title: 'Status', cell: (r) => <Status value={r.status} /> },
            { title: 'By', cell: (r) => r.createdBy },
            { title: 'Created', cell: (r) => <Time iso={r.createdAt} /> },
          ]}
        />
      </Section>
      <div class="grid-2">
        <Section
          title="Parameters"
          actions={
            <label class="inline">
              <input type="checkbox" checked={onlyDiff} onChange={(e) => setOnlyDiff(e.currentTarget.checked)} data-testid="only-diff" /> only differences
            </label>
          }
        >
          <DiffTable rows={paramRows} runColumns={runColumns} testid="param-diff" render={(v) => (v === undefined ? '–' : JSON.stringify(v))} />
        </Section>
        <Section title="Final metrics">
          <DiffTable rows={metricRows} runColumns={runColumns} testid="metric-diff" render={(v) => (v === undefined ? '–' : fmt(v))} />
        </Section>
      </div>
      <Section title="Metrics over time">
        <MetricCharts series={series} testid="compare-charts" />
      </Section>
    </>
  );
}

function DiffTable({ rows, runColumns, render, testid }) {
  if (rows.length === 0) return <div class="muted">none</div>;
  return (
    <div class="table-wrap">
      <table data-testid={testid}>
        <thead>
          <tr>
            <th>Name</th>
            {runColumns.map((c) => (
              <th key={c.key} class="num">
                {c.title}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => {
            const differs = !same(row.values);
            return (
              <tr key={row.name} class={differs ? 'differs' : ''} data-differs={differs}>
                <td>{row.name}</td>
                {row.values.map((v, i) => (
                  <td key={i} class="num">
                    {render(v)}
                  </td>
                ))}
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
