// Pipelines of a project: the list (latest version of each), and a pipeline's page: its versions, the spec of one,
// a form of its parameters that starts a run, and the runs it made.
import yaml from 'js-yaml';
import { useMemo, useState } from 'preact/hooks';
import { all, api, seg } from '../api.js';
import { can, useMe, useProject } from '../context.js';
import { navigate } from '../router.js';
import { ErrorBox, Link, Loaded, Page, Section, Status, Table, Time, useLoad } from '../ui.jsx';
import { Chips, NamedList, ProjectLine, RunLink, Sha, Who } from './registry.jsx';

export function PipelinesPage({ route }) {
  return (
    <NamedList
      route={route}
      section="pipelines"
      noun="pipeline"
      title="Pipelines"
      subtitle=" · the latest version of each"
      empty={(project) => `No pipeline is registered in project ${project}: POST /api/v1/pipelines registers one.`}
      columns={[
        { title: 'Latest version', cell: (p) => `v${p.version}`, class: 'num' },
        { title: 'Spec sha256', cell: (p) => <Sha value={p.specSha256} /> },
        { title: 'Registered by', cell: (p) => p.createdBy },
        { title: 'When', cell: (p) => <Time iso={p.createdAt} /> },
      ]}
    />
  );
}

/** The spec's declarations: {description, parameters: [...], steps: [...]}, or {error} when it does not parse. */
function parseSpec(text) {
  if (!text) return null;
  try {
    const doc = yaml.load(text) ?? {};
    return {
      description: doc.description,
      parameters: Array.isArray(doc.parameters) ? doc.parameters : [],
      steps: Array.isArray(doc.steps) ? doc.steps : [],
    };
  } catch (e) {
    return { error: e.message, parameters: [], steps: [] };
  }
}

export function PipelinePage({ route }) {
  const name = route.parts[1];
  const project = useProject(route);
  const versions = useLoad(() => all(`/pipelines/${seg(name)}/versions`, { project }), [name, project]);
  const latest = versions.data?.[0]?.version;
  const chosen = route.query.version ? Number(route.query.version) : latest;
  const version = useLoad(
    () => (chosen ? api(`/pipelines/${seg(name)}/versions/${chosen}`, { params: { project } }) : Promise.resolve(null)),
    [name, project, chosen],
  );
  const runs = useLoad(() => api('/runs', { params: { project, pipeline: name, limit: 25 } }), [name, project], {
    poll: 5000,
  });
  const spec = useMemo(() => parseSpec(version.data?.spec), [version.data?.spec]);
  const choose = (v) => navigate(['pipelines', name], { ...route.query, project, version: v === latest ? undefined : v });

  return (
    <Page
      title={name}
      subtitle={
        <ProjectLine project={project}>
          {chosen ? ` · version ${chosen}${chosen === latest ? ' (latest)' : ''}` : ''}
          {spec?.description ? ` · ${spec.description}` : ''}
        </ProjectLine>
      }
    >
      {versions.data === undefined && versions.error ? <ErrorBox error={versions.error} /> : null}
      <div class="grid-2">
        <Section title={chosen ? `Run version ${chosen}` : 'Run'} data-testid="run-section">
          <Loaded state={version}>
            {(v) =>
              v ? (
                <RunForm key={`${project}/${name}/${v.version}`} project={project} name={name} version={v.version} spec={spec} />
              ) : (
                <div class="muted">No version.</div>
              )
            }
          </Loaded>
        </Section>
        <Section title="Versions">
          <Loaded state={versions} empty="No version registered.">
            {(items) => (
              <Table
                testid="pipeline-versions"
                rows={items}
                rowKey={(v) => v.version}
                rowClass={(v) => (v.version === chosen ? 'selected' : '')}
                columns={[
                  {
                    title: 'Version',
                    cell: (v) => (
                      <button type="button" class="link" onClick={() => choose(v.version)} data-testid="pipeline-version">
                        v{v.version}
                      </button>
                    ),
                  },
                  { title: 'Spec sha256', cell: (v) => <Sha value={v.specSha256} /> },
                  { title: 'Registered', cell: (v) => <Who by={v.createdBy} at={v.createdAt} /> },
                ]}
              />
            )}
          </Loaded>
          {spec?.steps?.length > 0 && (
            <div class="steps-summary">
              <h3>Steps of v{chosen}</h3>
              <ol class="step-list">
                {spec.steps.map((s, i) => (
                  <li key={i}>
                    <span class="mono">{s.name}</span>
                    {s.matrix && <span class="muted small"> × {Object.keys(s.matrix).join(', ')}</span>}
                    {Array.isArray(s.needs) && s.needs.length > 0 && (
                      <span class="muted small"> after {s.needs.join(', ')}</span>
                    )}
                    {s.approval && <span class="tag">approval</span>}
                    {s.register && <span class="tag">registers {s.register.model ?? s.register}</span>}
                  </li>
                ))}
              </ol>
            </div>
          )}
        </Section>
      </div>
      <Section
        title={`Runs of ${name}`}
        actions={
          <Link to={['runs']} params={{ project, pipeline: name }}>
            All runs
          </Link>
        }
      >
        <Loaded state={runs} empty="This pipeline has not run yet.">
          {(page) => (
            <Table
              testid="pipeline-runs"
              rows={page.items}
              rowKey={(r) => r.id}
              columns={[
                { title: 'Run', cell: (r) => <RunLink id={r.id} /> },
                { title: 'Status', cell: (r) => <Status value={r.status} /> },
                { title: 'Version', cell: (r) => (r.pipelineVersion ? `v${r.pipelineVersion}` : '–'), class: 'num' },
                { title: 'Parameters', cell: (r) => <Chips values={r.parameters} />, class: 'wrap' },
                { title: 'Metrics', cell: (r) => <Chips values={r.metrics} format={(v) => Number(v.toPrecision?.(4) ?? v)} />, class: 'wrap' },
                { title: 'Started', cell: (r) => <Who by={r.createdBy} at={r.createdAt} /> },
              ]}
            />
          )}
        </Loaded>
      </Section>
      <Section title={chosen ? `Spec of v${chosen}` : 'Spec'}>
        <Loaded state={version}>
          {(v) => (
            <>
              {spec?.error && <div class="muted small">The spec does not parse here: {spec.error}</div>}
              <pre class="spec" data-testid="pipeline-spec">
                {v?.spec}
              </pre>
            </>
          )}
        </Loaded>
      </Section>
    </Page>
  );
}

const NUMERIC = new Set(['integer', 'float']);

/** The form's starting value of a parameter (as text; a checkbox's as a boolean). */
function initial(p) {
  if (p.type === 'boolean') return p.default === undefined ? false : !!p.default;
  return p.default === undefined || p.default === null ? '' : String(p.default);
}

/** A value as the API takes it: numbers as numbers when they read as one (else as typed, for the server to refuse). */
function value(p, v) {
  if (p.type === 'boolean') return !!v;
  if (NUMERIC.has(p.type)) {
    const t = String(v).trim();
    return t !== '' && Number.isFinite(Number(t)) ? Number(t) : t;
  }
  return v;
}

function RunForm({ project, name, version, spec }) {
  const { me } = useMe();
  const params = spec?.parameters ?? [];
  const [values, setValues] = useState(() => Object.fromEntries(params.map((p) => [p.name, initial(p)])));
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState(null);
  const mayRun = !me || can(me, project, 'write');

  const submit = async (e) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const parameters = {};
      for (const p of params) {
        const v = values[p.name];
        if (p.type !== 'boolean' && (v === '' || v === undefined)) continue; // left out: its default, or the server says it is missing
        parameters[p.name] = value(p, v);
      }
      const run = await api('/runs', { method: 'POST', body: { project, pipeline: name, pipelineVersion: version, parameters } });
      navigate(['runs', run.id]);
    } catch (err) {
      setError(err);
      setBusy(false);
    }
  };
  const set = (n, v) => setValues((s) => ({ ...s, [n]: v }));

  return (
    <form class="run-form" onSubmit={submit} data-testid="run-form">
      {params.length === 0 && <div class="muted">This pipeline declares no parameters.</div>}
      {params.map((p) => (
        <div class="param" key={p.name} data-testid="param" data-param={p.name}>
          <label for={`param-${p.name}`} class="param-label">
            <span class="param-name mono">{p.name}</span>
            <span class="tag">{p.type ?? 'string'}</span>
            {hint(p) && <span class="muted small">{hint(p)}</span>}
          </label>
          <ParamInput p={p} value={values[p.name]} onChange={(v) => set(p.name, v)} />
          {p.description && <div class="muted small param-desc">{p.description}</div>}
        </div>
      ))}
      <ErrorBox error={error} />
      <div class="form-actions">
        <button type="submit" class="primary" disabled={busy || !mayRun} data-testid="run-button">
          {busy ? 'Starting…' : `Run v${version}`}
        </button>
        {!mayRun && <span class="muted small">Starting a run needs the editor role in {project}.</span>}
      </div>
    </form>
  );
}

function hint(p) {
  const parts = [];
  if (p.default !== undefined && p.default !== null) parts.push(`default ${JSON.stringify(p.default)}`);
  else if (p.type !== 'boolean') parts.push('required');
  if (p.min !== undefined) parts.push(`min ${p.min}`);
  if (p.max !== undefined) parts.push(`max ${p.max}`);
  return parts.join(' · ');
}

function ParamInput({ p, value: v, onChange }) {
  const common = { id: `param-${p.name}`, name: p.name, 'data-testid': `param-${p.name}` };
  if (p.type === 'boolean') {
    return (
      <input type="checkbox" {...common} checked={!!v} onChange={(e) => onChange(e.currentTarget.checked)} class="check" />
    );
  }
  if (p.type === 'enum' && Array.isArray(p.choices)) {
    return (
      <select {...common} value={v} onChange={(e) => onChange(e.currentTarget.value)}>
        {(p.default === undefined || p.default === null) && <option value="">choose…</option>}
        {p.choices.map((c) => (
          <option key={String(c)} value={String(c)}>
            {String(c)}
          </option>
        ))}
      </select>
    );
  }
  if (NUMERIC.has(p.type)) {
    // text, not type=number: a browser's number field hides what was typed when it is not a number, and the
    // server's message about it is the one to show
    return (
      <input type="text" inputMode="decimal" {...common} value={v} onInput={(e) => onChange(e.currentTarget.value)} />
    );
  }
  return <input type="text" {...common} value={v} onInput={(e) => onChange(e.currentTarget.value)} />;
}
