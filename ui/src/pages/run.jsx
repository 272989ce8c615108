// One run: its DAG with step states, steps and attempts, logs that follow, metric charts that grow while it trains,
// parameters, inputs and outputs, and what may be done with it (cancel, resume, reproduce, approve).
import { useEffect, useMemo, useState } from 'preact/hooks';
import { api, download, seg } from '../api.js';
import { MetricCharts } from '../chart.jsx';
import { can, useMe } from '../context.js';
import { navigate } from '../router.js';
import { ActionButton, Elapsed, ErrorBox, KeyValues, Link, Page, Section, Status, Table, Tabs, Time, bytes, short, useLoad } from '../ui.jsx';
import { Dag } from './dag.jsx';
import { LogView } from './logs.jsx';
import { fmt } from './runs.jsx';
import './run.css';

const TERMINAL = ['SUCCEEDED', 'FAILED', 'CANCELLED'];
export const isTerminal = (status) => TERMINAL.includes(status);

export function RunPage({ route }) {
  const id = route.parts[1];
  const tab = route.query.tab ?? 'overview';
  const [live, setLive] = useState(true);
  const run = useLoad(() => api(`/runs/${seg(id)}`), [id], { poll: live ? 2000 : 0 });
  const status = run.data?.status;
  useEffect(() => {
    if (status) setLive(!isTerminal(status));
  }, [status]);
  // the record (spec, inputs, environment) again once the run has ended: it is final then
  const record = useLoad(() => api(`/runs/${seg(id)}/record`), [id, isTerminal(status)]);
  const setTab = (t) => navigate(['runs', id], { ...route.query, tab: t }, { replace: true });
  // the metrics tab's series are asked for with the run, not after it: a run of 100 000 points is megabytes
  const onMetrics = tab === 'metrics';
  const metrics = useLoad(() => (onMetrics ? api(`/runs/${seg(id)}/metrics`) : Promise.resolve(null)), [id, onMetrics], {
    poll: live && onMetrics ? 2000 : 0,
  });

  if (run.data === undefined) {
    return <Page title={`Run ${short(id)}`}>{run.error ? <ErrorBox error={run.error} /> : <div class="muted">Loading…</div>}</Page>;
  }
  const r = run.data;
  const step = route.query.step ?? r.steps.find((s) => s.status === 'RUNNING')?.name ?? r.steps[0]?.name;
  const pick = (name) => navigate(['runs', id], { ...route.query, step: name, tab: tab === 'overview' ? 'logs' : tab }, { replace: true });
  return (
    <Page
      title={
        <>
          Run <span class="mono" title={r.id}>{short(r.id)}</span> <Status value={r.status} />
        </>
      }
      subtitle={<RunSubtitle r={r} />}
      actions={<RunActions r={r} reload={run.reload} />}
    >
      <ErrorBox error={run.error} />
      {r.message && <div class={r.status === 'FAILED' ? 'error' : 'muted'}>{r.message}</div>}
      <Section title="Steps">
        <Dag steps={r.steps} spec={record.data?.spec} inputs={record.data?.inputs} selected={step} onSelect={pick} />
      </Section>
      <Tabs
        tabs={[
          ['overview', 'Attempts'],
          ['metrics', 'Metrics'],
          ['logs', 'Logs'],
          ['inputs', 'Parameters & files'],
          ['record', 'Record'],
        ]}
        current={tab}
        onSelect={setTab}
      />
      {tab === 'overview' && <Attempts r={r} reload={run.reload} />}
      {tab === 'metrics' && <Metrics state={metrics} live={live} />}
      {tab === 'logs' && <Logs r={r} step={step} attempt={route.query.attempt} onStep={pick} />}
      {tab === 'inputs' && <Files r={r} record={record} />}
      {tab === 'record' && <Record id={id} record={record} />}
    </Page>
  );
}

function RunSubtitle({ r }) {
  return (
    <span class="run-subtitle">
      {r.pipeline && (
        <Link to={['pipelines', r.pipeline]} params={{ project: r.project }}>
          {r.pipeline}
          {r.pipelineVersion ? ` v${r.pipelineVersion}` : ''}
        </Link>
      )}
      <span>project {r.project}</span>
      <span>
        by {r.createdBy} <Time iso={r.createdAt} />
      </span>
      <span>
        took <Elapsed from={r.startedAt ?? r.createdAt} to={r.finishedAt} />
      </span>
      {r.trigger && r.trigger.kind !== 'user' && <span>trigger: {r.trigger.kind}{r.trigger.schedule ? ` ${r.trigger.schedule}` : ''}</span>}
      {r.resumedFrom && (
        <span>
          resumed from <Link to={['runs', r.resumedFrom]} class="mono">{short(r.resumedFrom)}</Link>
        </span>
      )}
      {r.reproducedFrom && (
        <span>
          reproduces <Link to={['runs', r.reproducedFrom]} class="mono">{short(r.reproducedFrom)}</Link>
        </span>
      )}
    </span>
  );
}

function RunActions({ r, reload }) {
  const { me } = useMe();
  const write = can(me, r.project, 'write');
  const created = (newRun) => navigate(['runs', newRun.id]);
  return (
    <>
      {r.temporalUiUrl && (
        <a class="button" href={r.temporalUiUrl} target="_blank" rel="noopener noreferrer" data-testid="temporal-link">
          Workflow in Temporal ↗
        </a>
      )}
      {write && !isTerminal(r.status) && (
        <ActionButton kind="danger" confirm="Cancel this run? Its running steps are stopped." action={async () => { await api(`/runs/${seg(r.id)}/cancel`, { method: 'POST' }); reload(); }} data-testid="cancel-run">
          Cancel
        </ActionButton>
      )}
      {write && (r.status === 'FAILED' || r.status === 'CANCELLED') && (
        <ActionButton action={async () => created(await api(`/runs/${seg(r.id)}/resume`, { method: 'POST', body: {} }))} data-testid="resume-run">
          Resume
        </ActionButton>
      )}
      {write && isTerminal(r.status) && (
        <ActionButton action={async () => created(await api(`/runs/${seg(r.id)}/reproduce`, { method: 'POST' }))} data-testid="reproduce-run">
          Reproduce
        </ActionButton>
      )}
    </>
  );
}

function Attempts({ r, reload }) {
  const { me } = useMe();
  const rows = r.steps.flatMap((s) =>
    s.attempts.length ? s.attempts.map((a) => ({ step: s, a })) : [{ step: s, a: null }],
  );
  const approver = can(me, r.project, 'approve');
  return (
    <Section>
      <Table
        testid="attempts"
        rows={rows}
        rowKey={(x) => `${x.step.name}#${x.a?.number ?? 0}`}
        columns={[
          { title: 'Step', cell: (x) => <Link to={['runs', r.id]} params={{ tab: 'logs', step: x.step.name, attempt: x.a?.number }}>{x.step.name}</Link> },
          { title: 'Attempt', class: 'num', cell: (x) => x.a?.number ?? '' },
          { title: 'Status', cell: (x) => <Status value={x.a?.status ?? x.step.status} /> },
          { title: 'Worker', cell: (x) => x.a?.worker ?? <span class="muted">{x.step.pool ? `pool ${x.step.pool}` : ''}</span> },
          { title: 'Exit code', class: 'num', cell: (x) => x.a?.exitCode ?? '' },
          { title: 'Started', cell: (x) => <Time iso={x.a?.startedAt ?? x.step.startedAt} /> },
          { title: 'Took', class: 'num', cell: (x) => (x.a?.startedAt ? <Elapsed from={x.a.startedAt} to={x.a.finishedAt} /> : '') },
          {
            title: 'Note',
            class: 'wrap',
            cell: (x) => (
              <>
                {x.a?.message ?? x.step.reason ?? (x.step.cachedFrom ? `cached from ${short(x.step.cachedFrom)}` : '')}
                {!x.a && x.step.status === 'WAITING' && approver && <Approval r={r} step={x.step} reload={reload} />}
                {x.step.approval && ` ${x.step.approval.approved ? 'approved' : 'rejected'} by ${x.step.approval.by}${x.step.approval.note ? `: ${x.step.approval.note}` : ''}`}
              </>
            ),
          },
        ]}
      />
    </Section>
  );
}

function Approval({ r, step, reload }) {
  const decide = (verb) => async () => {
    const note = window.prompt(`A note for this ${verb === 'approve' ? 'approval' : 'rejection'} (optional)`) ?? '';
    await api(`/runs/${seg(r.id)}/steps/${seg(step.name)}/${verb}`, { method: 'POST', body: { note } });
    reload();
  };
  return (
    <span class="approval">
      <ActionButton kind="primary" action={decide('approve')}>Approve</ActionButton>
      <ActionButton kind="danger" action={decide('reject')}>Reject</ActionButton>
    </span>
  );
}

/** Charts of every series with more than one point; single values as a table (they make no line). */
function Metrics({ state, live }) {
  const data = state.data;
  const { charts, finals } = useMemo(() => {
    if (!data) return { charts: [], finals: [] };
    const attemptsOf = new Map();
    for (const s of data.series) attemptsOf.set(s.step, Math.max(attemptsOf.get(s.step) ?? 0, s.attempt));
    const label = (s) => (attemptsOf.get(s.step) > 1 ? `${s.step} #${s.attempt}` : s.step);
    const charts = [];
    const finals = [];
    for (const s of data.series) {
      if (s.points.length > 1) charts.push({ name: s.name, label: label(s), points: s.points });
      else finals.push({ name: s.name, step: label(s), value: s.points[0]?.value });
    }
    return { charts, finals };
  }, [data]);
  if (!data) return state.error ? <ErrorBox error={state.error} /> : <div class="muted">Loading…</div>;
  return (
    <>
      <ErrorBox error={state.error} />
      <Section title="Charts" actions={live && <span class="live">● live</span>}>
        <MetricCharts series={charts} />
      </Section>
      {finals.length > 0 && (
        <Section title="Single values">
          <Table
            testid="metric-values"
            rows={finals}
            columns={[
              { title: 'Metric', cell: (f) => f.name },
              { title: 'Step', cell: (f) => f.step },
              { title: 'Value', class: 'num', cell: (f) => fmt(f.value) },
            ]}
          />
        </Section>
      )}
    </>
  );
}

function Logs({ r, step, attempt, onStep }) {
  const s = r.steps.find((x) => x.name === step);
  const number = attempt ? Number(attempt) : s?.attempts.at(-1)?.number;
  const a = s?.attempts.find((x) => x.number === number);
  return (
    <Section
      title="Logs"
      actions={
        <>
          <select value={step} onChange={(e) => onStep(e.currentTarget.value)} data-testid="log-step">
            {r.steps.map((x) => (
              <option key={x.name} value={x.name}>
                {x.name}
              </option>
            ))}
          </select>
          {s && s.attempts.length > 1 && (
            <select value={number} onChange={(e) => navigate(['runs', r.id], { tab: 'logs', step, attempt: e.currentTarget.value }, { replace: true })}>
              {s.attempts.map((x) => (
                <option key={x.number} value={x.number}>
                  attempt {x.number} ({x.status})
                </option>
              ))}
            </select>
          )}
        </>
      }
    >
      {!a ? (
        <div class="muted">{s ? `No attempt of ${s.name} has started (${s.status}${s.reason ? `: ${s.reason}` : ''}).` : 'No such step.'}</div>
      ) : (
        <LogView key={`${r.id}/${step}/${number}`} runId={r.id} step={step} attempt={number} running={a.status === 'RUNNING'} />
      )}
    </Section>
  );
}

function Files({ r, record }) {
  const artifacts = useLoad(() => api(`/runs/${seg(r.id)}/artifacts`), [r.id, r.status]);
  const inputs = record.data?.inputs ?? [];
  return (
    <div class="grid-2">
      <Section title="Parameters">
        <KeyValues entries={Object.entries(r.parameters ?? {}).map(([k, v]) => [k, JSON.stringify(v)])} testid="parameters" />
        <h3 class="sub">Run</h3>
        <KeyValues
          entries={[
            ['id', r.id],
            ['bundle', r.bundle ? <span class="mono">{r.bundle}</span> : '–'],
            ['workflow', r.workflowId],
            ['priority', r.priority],
          ]}
        />
      </Section>
      <Section title="Inputs">
        {inputs.length === 0 ? (
          <div class="muted">{record.data ? 'none' : 'Loading…'}</div>
        ) : (
          <Table
            testid="inputs"
            rows={inputs.flatMap((i) => i.files.map((f) => ({ ...i, f })))}
            columns={[
              { title: 'Step', cell: (i) => i.step },
              { title: 'Input', cell: (i) => i.input },
              { title: 'From', class: 'wrap', cell: (i) => i.resolved ?? i.reference },
              { title: 'File', cell: (i) => <FileLink file={i.f} /> },
              { title: 'Size', class: 'num', cell: (i) => bytes(i.f.size) },
            ]}
          />
        )}
      </Section>
      <Section title="Outputs">
        {artifacts.data?.items?.length === 0 ? (
          <div class="muted">none yet</div>
        ) : (
          <Table
            testid="outputs"
            rows={artifacts.data?.items ?? []}
            columns={[
              { title: 'Step', cell: (o) => o.step },
              { title: 'Attempt', class: 'num', cell: (o) => o.attempt },
              { title: 'File', cell: (o) => <FileLink file={o} /> },
              { title: 'Size', class: 'num', cell: (o) => bytes(o.size) },
              { title: 'sha256', cell: (o) => <span class="mono" title={o.sha256}>{o.sha256.slice(0, 12)}</span> },
            ]}
          />
        )}
      </Section>
    </div>
  );
}

function FileLink({ file }) {
  const name = file.path.split('/').at(-1);
  return (
    <button type="button" class="link" title={`download ${file.path} (${file.sha256})`} onClick={() => download(`/artifacts/${file.sha256}`, name)} data-testid="download">
      {file.path}
    </button>
  );
}

function Record({ id, record }) {
  const d = record.data;
  return (
    <>
      <Section
        title="Spec"
        actions={
          <ActionButton action={() => download(`/runs/${seg(id)}/record`, `run-${id}.json`, { download: true })} data-testid="download-record">
            Download the record
          </ActionButton>
        }
      >
        {d ? <pre class="spec">{d.spec}</pre> : <div class="muted">Loading…</div>}
      </Section>
      {d && (
        <div class="grid-2">
          <Section title="Environment">
            <KeyValues entries={Object.entries(d.environment ?? {}).map(([k, v]) => [k, typeof v === 'object' ? JSON.stringify(v) : String(v)])} />
          </Section>
          <Section title="Hardware">
            <KeyValues entries={Object.entries(d.hardware ?? {}).map(([k, v]) => [k, typeof v === 'object' ? JSON.stringify(v) : String(v)])} />
          </Section>
        </div>
      )}
    </>
  );
}
