// Endpoints: a model version served by replicas on workers; its versions over time, the traffic split of a canary,
// per-version request metrics; promote and roll back.
import { useRef, useState } from 'preact/hooks';
import { api, seg } from '../api.js';
import { MetricChart } from '../chart.jsx';
import { can, useMe, useProject } from '../context.js';
import { ActionButton, Link, Loaded, Page, Section, Status, Table, Tabs, Time, useLoad } from '../ui.jsx';
import './ops.css';

/** A model reference (name@alias, name/N, project/name@alias, project/name/N) as {project, name}. */
export function modelOf(ref, project) {
  if (!ref) return null;
  const [path, alias] = ref.split('@');
  const parts = path.split('/');
  if (alias === undefined) parts.pop();
  return parts.length > 1 ? { project: parts[0], name: parts[1] } : { project, name: parts[0] };
}

function ModelRef({ e }) {
  const m = modelOf(e.model, e.project);
  if (!m) return <span class="muted">–</span>;
  return (
    <Link to={['models', m.name]} params={{ project: m.project }} class="mono">
      {e.model}
    </Link>
  );
}

const ready = (e) => (e.replicas ?? []).filter((r) => r.status === 'READY').length;

function Versions({ e }) {
  if (e.version === null || e.version === undefined) return <span class="muted">none yet</span>;
  return (
    <span>
      v{e.version}
      {e.canary && (
        <span class="muted">
          {' '}
          + canary v{e.canary.version} ({e.canary.percent}%)
        </span>
      )}
    </span>
  );
}

export function EndpointsPage() {
  const state = useLoad(() => api('/endpoints'), [], { poll: 5000 });
  return (
    <Page title="Endpoints" subtitle="Model versions served over HTTP by replicas on workers, every project you may read">
      <Section>
        <Loaded state={state} empty="No endpoints. Serve a model version with `baton endpoint create`.">
          {(data) => (
            <Table
              testid="endpoints"
              rowKey={(e) => `${e.project}/${e.name}`}
              rows={data.items}
              columns={[
                {
                  title: 'Endpoint',
                  cell: (e) => (
                    <Link to={['endpoints', e.name]} params={{ project: e.project }} data-testid="endpoint" data-name={e.name}>
                      <strong>{e.name}</strong>
                    </Link>
                  ),
                },
                { title: 'Project', cell: (e) => e.project },
                { title: 'Status', cell: (e) => <Status value={e.status} /> },
                { title: 'Model', cell: (e) => <ModelRef e={e} /> },
                { title: 'Serving', cell: (e) => <Versions e={e} /> },
                {
                  title: 'Replicas',
                  class: 'num',
                  cell: (e) => `${ready(e)} / ${e.desired?.replicas ?? e.replicas?.length ?? 0} ready`,
                },
                { title: 'URL', cell: (e) => <span class="mono">{e.url}</span> },
                { title: 'Updated', cell: (e) => <Time iso={e.updatedAt} /> },
              ]}
            />
          )}
        </Loaded>
      </Section>
    </Page>
  );
}

function TrafficSplit({ e }) {
  if (e.version === null || e.version === undefined) return <div class="muted">No version serves yet.</div>;
  const canary = e.canary?.percent ?? 0;
  const stable = 100 - canary;
  return (
    <div data-testid="traffic">
      <div class="split">
        <div class="stable" style={{ width: `${stable}%` }}>
          v{e.version} · {stable}%
        </div>
        {canary > 0 && (
          <div class="canary" style={{ width: `${canary}%` }}>
            v{e.canary.version} · {canary}%
          </div>
        )}
      </div>
      <div class="split-legend">
        <span>
          <span class="swatch stable" />
          v{e.version}: stable
        </span>
        {e.canary && (
          <span>
            <span class="swatch canary" />
            v{e.canary.version}: canary{e.canary.serving ? '' : ', not serving yet'}
          </span>
        )}
      </div>
    </div>
  );
}

const ms = (v) => (v === null || v === undefined ? '–' : `${v.toFixed(v < 10 ? 2 : 1)} ms`);

/** Samples of the 1m window taken while the page is open: the metrics route answers windows, not series. */
function useSamples(metrics) {
  const samples = useRef([]);
  const started = useRef(Date.now());
  const last = useRef(null);
  if (metrics && metrics !== last.current) {
    last.current = metrics;
    const w = metrics.windows?.find((x) => x.window === '1m');
    if (w) samples.current = [...samples.current, { t: (Date.now() - started.current) / 1000, versions: w.versions }].slice(-360);
  }
  return samples.current;
}

function SampleCharts({ samples }) {
  if (samples.length < 2) return null;
  const versions = [...new Set(samples.flatMap((s) => s.versions.map((v) => v.version)))].sort((a, b) => a - b);
  if (versions.length === 0) return null;
  const xs = Float64Array.from(samples, (s) => s.t);
  const series = (field) =>
    versions.map((version) => ({
      label: `v${version}`,
      data: [
        xs,
        Float64Array.from(samples, (s) => {
          const v = s.versions.find((x) => x.version === version);
          return v ? (v[field] ?? NaN) : field === 'requests' ? 0 : NaN;
        }),
      ],
    }));
  return (
    <div class="charts" data-testid="endpoint-charts">
      <MetricChart title="Requests in the last minute" xLabel="seconds on this page" series={series('requests')} height={180} />
      <MetricChart title="p99 latency (ms), last minute" xLabel="seconds on this page" series={series('p99Ms')} height={180} />
    </div>
  );
}

function Metrics({ name, project }) {
  const [win, setWin] = useState('15m');
  const state = useLoad(() => api(`/endpoints/${seg(name)}/metrics`, { params: { project } }), [name, project], { poll: 5000 });
  const samples = useSamples(state.data);
  return (
    <Section title="Requests per version" actions={<span class="muted small">5xx answers count as errors</span>}>
      <Loaded state={state}>
        {(m) => {
          const w = m.windows.find((x) => x.window === win) ?? m.windows[0];
          return (
            <>
              <Tabs tabs={m.windows.map((x) => [x.window, `last ${x.window}`])} current={w?.window} onSelect={setWin} />
              {!w || w.versions.length === 0 ? (
                <div class="muted empty">No requests in the last {w?.window}.</div>
              ) : (
                <Table
                  testid="endpoint-metrics"
                  rowKey={(v) => v.version}
                  rows={w.versions}
                  columns={[
                    { title: 'Version', cell: (v) => `v${v.version}` },
                    { title: 'Requests', class: 'num', cell: (v) => v.requests.toLocaleString() },
                    { title: 'Errors', class: 'num', cell: (v) => <span class={v.errors ? 'result-bad' : ''}>{v.errors}</span> },
                    { title: 'Error rate', class: 'num', cell: (v) => `${(v.errorRate * 100).toFixed(2)}%` },
                    { title: 'p50', class: 'num', cell: (v) => ms(v.p50Ms) },
                    { title: 'p99', class: 'num', cell: (v) => ms(v.p99Ms) },
                  ]}
                />
              )}
              <SampleCharts samples={samples} />
            </>
          );
        }}
      </Loaded>
    </Section>
  );
}

function CanaryForm({ e, onDone }) {
  const [version, setVersion] = useState('');
  const [percent, setPercent] = useState('10');
  return (
    <div class="form-row">
      <label>
        Canary version
        <input type="number" min="1" value={version} onInput={(x) => setVersion(x.currentTarget.value)} data-testid="canary-version" />
      </label>
      <label>
        Percent of traffic
        <input type="number" min="1" max="99" value={percent} onInput={(x) => setPercent(x.currentTarget.value)} />
      </label>
      <ActionButton
        disabled={!version}
        confirm={`Send ${percent}% of ${e.name}'s traffic to version ${version}?`}
        action={async () => {
          await api(`/endpoints/${seg(e.name)}`, {
            method: 'PUT',
            params: { project: e.project },
            body: { canary: { version: Number(version), percent: Number(percent) } },
          });
          setVersion('');
          onDone();
        }}
      >
        Start canary
      </ActionButton>
    </div>
  );
}

export function EndpointPage({ route }) {
  const name = route.parts[1];
  const project = useProject(route);
  const { me } = useMe();
  const write = can(me, project, 'write');
  const state = useLoad(() => api(`/endpoints/${seg(name)}`, { params: { project } }), [name, project], { poll: 5000 });
  const e = state.data;
  const params = { project };
  return (
    <Page
      title={
        <>
          {name} {e && <Status value={e.status} />}
        </>
      }
      subtitle={
        <>
          Endpoint in project {project} · <Link to={['endpoints']}>all endpoints</Link>
        </>
      }
      actions={
        e &&
        write && (
          <>
            {e.canary && (
              <ActionButton
                kind="primary"
                data-testid="promote"
                confirm={`Promote version ${e.canary.version} of ${name}: it takes all the traffic?`}
                action={async () => {
                  await api(`/endpoints/${seg(name)}/promote`, { method: 'POST', params });
                  await state.reload();
                }}
              >
                Promote v{e.canary.version}
              </ActionButton>
            )}
            {(e.canary || (e.history?.length ?? 0) > 1) && (
              <ActionButton
                kind="danger"
                data-testid="rollback"
                confirm={
                  e.canary
                    ? `Roll back ${name}: the canary v${e.canary.version} goes, v${e.version} takes all the traffic?`
                    : `Roll back ${name} to the version it served before?`
                }
                action={async () => {
                  await api(`/endpoints/${seg(name)}/rollback`, { method: 'POST', params });
                  await state.reload();
                }}
              >
                {e.canary ? 'Roll back canary' : 'Roll back'}
              </ActionButton>
            )}
          </>
        )
      }
    >
      <Loaded state={state}>
        {(d) => (
          <div data-testid="endpoint-page" data-status={d.status}>
            {d.message && <div class={d.status === 'READY' ? 'notice info' : 'notice warn'}>{d.message}</div>}
            <div class="grid-2">
              <Section title="Serving">
                <dl class="kv">
                  <dt>Model</dt>
                  <dd>
                    <ModelRef e={d} />
                  </dd>
                  <dt>Version</dt>
                  <dd data-testid="endpoint-version">
                    <Versions e={d} />
                  </dd>
                  <dt>URL</dt>
                  <dd>
                    <span class="mono">
                      {location.origin}
                      {d.url}
                    </span>
                  </dd>
                  <dt>Replicas</dt>
                  <dd>
                    {ready(d)} of {d.desired?.replicas ?? d.replicas.length} ready
                  </dd>
                  <dt>Created</dt>
                  <dd>
                    {d.createdBy}, <Time iso={d.createdAt} />
                  </dd>
                </dl>
                <h2 class="muted small">Traffic</h2>
                <TrafficSplit e={d} />
                {write && !d.canary && d.version != null && (
                  <div class="card-foot">
                    <CanaryForm e={d} onDone={state.reload} />
                  </div>
                )}
              </Section>
              <Section title="Desired state">
                {d.desired ? (
                  <dl class="kv">
                    <dt>Revision</dt>
                    <dd>{d.desired.revision}</dd>
                    <dt>Command</dt>
                    <dd class="mono">{(d.desired.command ?? []).join(' ')}</dd>
                    <dt>Pool</dt>
                    <dd>{d.desired.pool}</dd>
                    <dt>Resources</dt>
                    <dd>
                      {d.desired.cpus} CPU{d.desired.gpus ? `, ${d.desired.gpus} GPU` : ''}
                      {d.desired.memoryBytes ? `, ${Math.round(d.desired.memoryBytes / 1048576)} MiB` : ''}
                    </dd>
                    <dt>Health</dt>
                    <dd>
                      <span class="mono">{d.desired.health}</span> within {d.desired.healthTimeout}
                    </dd>
                    <dt>Bundle</dt>
                    <dd class="mono" title={d.desired.bundle}>
                      {d.desired.bundle?.slice(0, 16)}…
                    </dd>
                    {Object.keys(d.desired.env ?? {}).length > 0 && (
                      <>
                        <dt>Environment</dt>
                        <dd class="mono">{Object.keys(d.desired.env).join(', ')}</dd>
                      </>
                    )}
                  </dl>
                ) : (
                  <div class="muted">–</div>
                )}
              </Section>
            </div>
            <Metrics name={name} project={project} />
            <Section title="Replicas">
              {d.replicas.length === 0 ? (
                <div class="muted empty">No replica runs.</div>
              ) : (
                <Table
                  testid="replicas"
                  rowKey={(r) => r.id}
                  rows={d.replicas}
                  columns={[
                    { title: 'Replica', cell: (r) => <span class="mono" title={r.id}>…{r.id.slice(-12)}</span> },
                    { title: 'Status', cell: (r) => <Status value={r.status} /> },
                    { title: 'Version', cell: (r) => `v${r.version}` },
                    { title: 'Revision', class: 'num', cell: (r) => r.revision },
                    { title: 'Worker', cell: (r) => <Link to={['workers']}>{r.worker}</Link> },
                    { title: 'Started', cell: (r) => <Time iso={r.startedAt} /> },
                    { title: 'Message', class: 'wrap', cell: (r) => r.message ?? '' },
                  ]}
                />
              )}
            </Section>
            <Section title="Version history">
              <Table
                testid="endpoint-history"
                rowKey={(h) => `${h.version}/${h.from}`}
                rows={[...(d.history ?? [])].reverse()}
                columns={[
                  { title: 'Version', cell: (h) => `v${h.version}` },
                  { title: 'From', cell: (h) => <Time iso={h.from} /> },
                  { title: 'To', cell: (h) => (h.to ? <Time iso={h.to} /> : <Status value="SERVING" />) },
                  { title: 'By', cell: (h) => h.by },
                ]}
              />
            </Section>
          </div>
        )}
      </Loaded>
    </Page>
  );
}
