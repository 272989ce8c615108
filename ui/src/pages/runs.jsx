// The runs: filters (the API's own: project, pipeline, status, who, parameters and metrics), a search over what is
// shown, live statuses (polled), and a choice of runs to compare.
import { useMemo, useState } from 'preact/hooks';
import { api } from '../api.js';
import { useMe } from '../context.js';
import { href, navigate } from '../router.js';
import { Elapsed, Link, Loaded, Page, Status, Table, Time, short, useLoad } from '../ui.jsx';
import './runs.css';

const STATUSES = ['', 'QUEUED', 'RUNNING', 'SUCCEEDED', 'FAILED', 'CANCELLED'];
const PAGE = 100;

/** The route's filters as the API's query: param and metric may hold several conditions, comma-separated. */
function apiFilters(q) {
  const list = (s) => (s ? s.split(',').map((x) => x.trim()).filter(Boolean) : undefined);
  return {
    project: q.project,
    pipeline: q.pipeline,
    status: q.status,
    createdBy: q.createdBy,
    since: q.since,
    param: list(q.param),
    metric: list(q.metric),
    sort: q.sort,
  };
}

export function RunsPage({ route }) {
  const q = route.query;
  const { me } = useMe();
  const [limit, setLimit] = useState(PAGE);
  const [search, setSearch] = useState('');
  const [selected, setSelected] = useState([]);
  const filters = apiFilters(q);
  const key = JSON.stringify(filters);
  const state = useLoad(() => api('/runs', { params: { ...filters, limit: Math.min(limit, 500) } }), [key, limit], {
    poll: 3000,
  });
  const setFilter = (name, value) => navigate(['runs'], { ...q, [name]: value });
  const toggle = (id) => setSelected((s) => (s.includes(id) ? s.filter((x) => x !== id) : [...s, id]));

  return (
    <Page
      title="Runs"
      subtitle="Every run you may see, newest first; statuses update by themselves."
      actions={
        <a
          class={`button ${selected.length < 2 ? 'disabled' : 'primary'}`}
          href={selected.length < 2 ? undefined : href(['compare'], { ids: selected.join(',') })}
          aria-disabled={selected.length < 2}
          data-testid="compare-selected"
        >
          Compare {selected.length > 0 ? `(${selected.length})` : ''}
        </a>
      }
    >
      <form class="filters" onSubmit={(e) => e.preventDefault()} data-testid="run-filters">
        <label>
          Project
          <select value={q.project ?? ''} onChange={(e) => setFilter('project', e.currentTarget.value)}>
            <option value="">all</option>
            {(me?.projects ?? []).map((p) => (
              <option key={p.name} value={p.name}>
                {p.name}
              </option>
            ))}
          </select>
        </label>
        <label>
          Status
          <select value={q.status ?? ''} onChange={(e) => setFilter('status', e.currentTarget.value)} data-testid="filter-status">
            {STATUSES.map((s) => (
              <option key={s} value={s}>
                {s || 'any'}
              </option>
            ))}
          </select>
        </label>
        <FilterInput label="Pipeline" name="pipeline" value={q.pipeline} onSet={setFilter} placeholder="iris" />
        <FilterInput label="Created by" name="createdBy" value={q.createdBy} onSet={setFilter} placeholder="alice" />
        <FilterInput label="Parameters" name="param" value={q.param} onSet={setFilter} placeholder="lr:lt:0.1" />
        <FilterInput label="Metrics" name="metric" value={q.metric} onSet={setFilter} placeholder="accuracy:ge:0.9" />
        <FilterInput label="Sort" name="sort" value={q.sort} onSet={setFilter} placeholder="metric.accuracy:desc" />
        <label>
          Search
          <input
            type="search"
            value={search}
            onInput={(e) => setSearch(e.currentTarget.value)}
            placeholder="id, pipeline, user, parameter"
            data-testid="run-search"
          />
        </label>
      </form>
      <Loaded state={state} empty="No runs match. Start one with `baton run DIR` or from a pipeline's page.">
        {(page) => (
          <RunTable
            page={page}
            search={search}
            selected={selected}
            toggle={toggle}
            more={page.nextCursor && limit < 500 ? () => setLimit(limit + PAGE) : null}
          />
        )}
      </Loaded>
    </Page>
  );
}

/** A text filter applied on Enter or when it loses focus (not at each key: each change is a request). */
function FilterInput({ label, name, value, onSet, placeholder }) {
  const apply = (e) => {
    if ((e.currentTarget.value || '') !== (value || '')) onSet(name, e.currentTarget.value.trim());
  };
  return (
    <label>
      {label}
      <input
        value={value ?? ''}
        placeholder={placeholder}
        onChange={apply}
        onKeyDown={(e) => e.key === 'Enter' && apply(e)}
        data-testid={`filter-${name}`}
      />
    </label>
  );
}

function matches(run, text) {
  if (!text) return true;
  const t = text.toLowerCase();
  return [run.id, run.pipeline, run.createdBy, run.status, JSON.stringify(run.parameters)]
    .filter(Boolean)
    .some((s) => s.toLowerCase().includes(t));
}

function RunTable({ page, search, selected, toggle, more }) {
  const runs = useMemo(() => page.items.filter((r) => matches(r, search)), [page, search]);
  // the metrics most runs shown have, as columns (at most four)
  const metricNames = useMemo(() => {
    const count = new Map();
    for (const r of runs) for (const m of Object.keys(r.metrics ?? {})) count.set(m, (count.get(m) ?? 0) + 1);
    return [...count.entries()].sort((a, b) => b[1] - a[1]).slice(0, 4).map(([m]) => m);
  }, [runs]);
  const columns = [
    {
      title: '',
      cell: (r) => (
        <input
          type="checkbox"
          checked={selected.includes(r.id)}
          onChange={() => toggle(r.id)}
          aria-label={`select run ${r.id}`}
          data-testid="select-run"
        />
      ),
    },
    { title: 'Run', cell: (r) => <Link to={['runs', r.id]} class="mono" title={r.id}>{short(r.id)}</Link> },
    { title: 'Pipeline', cell: (r) => (r.pipeline ? `${r.pipeline}${r.pipelineVersion ? ` v${r.pipelineVersion}` : ''}` : '–') },
    { title: 'Project', cell: (r) => r.project },
    { title: 'Status', cell: (r) => <Status value={r.status} /> },
    { title: 'Steps', cell: (r) => <StepDots steps={r.steps} /> },
    { title: 'Parameters', class: 'wrap params', cell: (r) => <Params values={r.parameters} /> },
    ...metricNames.map((m) => ({ title: m, class: 'num', cell: (r) => fmt(r.metrics?.[m]) })),
    { title: 'By', cell: (r) => r.createdBy },
    { title: 'Created', cell: (r) => <Time iso={r.createdAt} /> },
    { title: 'Took', class: 'num', cell: (r) => <Elapsed from={r.startedAt ?? r.createdAt} to={r.finishedAt} /> },
  ];
  return (
    <>
      <Table
        columns={columns}
        rows={runs}
        rowKey={(r) => r.id}
        rowClass={(r) => (selected.includes(r.id) ? 'selected' : '')}
        testid="runs-table"
      />
      <div class="table-foot muted">
        {runs.length} of {page.items.length} shown{page.nextCursor ? ', more on the server' : ''}
        {more && (
          <button type="button" onClick={more} data-testid="load-more">
            Load more
          </button>
        )}
      </div>
    </>
  );
}

export function fmt(v) {
  if (v === undefined || v === null) return '';
  if (typeof v !== 'number') return String(v);
  if (Number.isInteger(v)) return String(v);
  return Math.abs(v) >= 1000 || Math.abs(v) < 0.001 ? v.toExponential(3) : v.toPrecision(4).replace(/\.?0+$/, '');
}

function Params({ values }) {
  const entries = Object.entries(values ?? {});
  if (!entries.length) return <span class="muted">–</span>;
  return (
    <span class="param-list">
      {entries.map(([k, v]) => (
        <span key={k} class="param">
          {k}={typeof v === 'object' ? JSON.stringify(v) : String(v)}
        </span>
      ))}
    </span>
  );
}

/** A dot per step, coloured by its status (the step's name and status as its title). */
export function StepDots({ steps }) {
  if (!steps?.length) return <span class="muted">–</span>;
  return (
    <span class="dots">
      {steps.map((s) => (
        <span key={s.name} class={`dot status-${s.status.toLowerCase()}`} title={`${s.name}: ${s.status}`} />
      ))}
    </span>
  );
}
