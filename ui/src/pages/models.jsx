// Models of a project: the list, and a model's page: its aliases (moved, deleted, with their history), its versions
// (source run, files, metrics, review), and the lineage of one version.
import { useState } from 'preact/hooks';
import { all, api, seg } from '../api.js';
import { can, useMe, useProject } from '../context.js';
import { navigate } from '../router.js';
import { ActionButton, ErrorBox, KeyValues, Link, Loaded, Page, Section, Status, Table, Time, useLoad } from '../ui.jsx';
import { Chips, DownloadButton, FilesTable, metric, ProjectLine, RunLink, Sha, Who } from './registry.jsx';

function AliasChips({ aliases, protectedAliases = [] }) {
  const list = Array.isArray(aliases) ? aliases.map((a) => [a]) : Object.entries(aliases ?? {});
  if (list.length === 0) return <span class="muted">–</span>;
  return (
    <span>
      {list.map(([a, v]) => (
        <span key={a} class={protectedAliases.includes(a) ? 'alias-chip protected' : 'alias-chip'} title={protectedAliases.includes(a) ? 'protected alias' : 'alias'}>
          {a}
          {v !== undefined ? ` → v${v}` : ''}
        </span>
      ))}
    </span>
  );
}

export function ModelsPage({ route }) {
  const project = useProject(route);
  const state = useLoad(() => all('/models', { project }), [project]);
  return (
    <Page title="Models" subtitle={<ProjectLine project={project} />}>
      <Section>
        <Loaded state={state} empty={`No model in project ${project}: a step's register: or POST /api/v1/models makes one.`}>
          {(items) => (
            <Table
              testid="models"
              rows={items}
              rowKey={(m) => m.name}
              columns={[
                {
                  title: 'Name',
                  cell: (m) => (
                    <Link to={['models', m.name]} params={{ project: m.project }} data-testid="model-link">
                      {m.name}
                    </Link>
                  ),
                },
                { title: 'Latest', cell: (m) => (m.latestVersion ? `v${m.latestVersion}` : '–'), class: 'num' },
                { title: 'Aliases', cell: (m) => <AliasChips aliases={m.aliases} protectedAliases={m.protectedAliases} />, class: 'wrap' },
                { title: 'Description', cell: (m) => m.description ?? <span class="muted">–</span>, class: 'wrap' },
                { title: 'Tags', cell: (m) => <Chips values={m.tags} />, class: 'wrap' },
                { title: 'Updated', cell: (m) => <Time iso={m.updatedAt ?? m.createdAt} /> },
              ]}
            />
          )}
        </Loaded>
      </Section>
    </Page>
  );
}

export function ModelPage({ route }) {
  const name = route.parts[1];
  const project = useProject(route);
  const { me } = useMe();
  const base = `/models/${seg(name)}`;
  const params = { project };
  const model = useLoad(() => api(base, { params }), [name, project]);
  const versions = useLoad(() => all(`${base}/versions`, params), [name, project]);
  const aliases = useLoad(() => all(`${base}/aliases`, params), [name, project]);
  const protectedAliases = model.data?.protectedAliases ?? [];
  const aliasNames = (aliases.data ?? []).map((a) => a.alias);
  const shownAlias = route.query.alias ?? aliasNames[0];
  const history = useLoad(
    () => (shownAlias ? all(`${base}/aliases/${seg(shownAlias)}/history`, params, 200) : Promise.resolve([])),
    [name, project, shownAlias],
  );
  const latest = versions.data?.[0]?.version;
  const chosen = route.query.version ? Number(route.query.version) : latest;
  const go = (change) => navigate(['models', name], { ...route.query, project, ...change }, { replace: true });
  const reloadAll = () => {
    model.reload();
    versions.reload();
    aliases.reload();
    history.reload();
  };
  const mayWrite = !me || can(me, project, 'write');
  const mayPromote = !me || can(me, project, 'promote');

  if (model.data === undefined && model.error) {
    return (
      <Page title={name} subtitle={<ProjectLine project={project} />}>
        <ErrorBox error={model.error} />
      </Page>
    );
  }
  const m = model.data;
  return (
    <Page
      title={name}
      subtitle={
        <ProjectLine project={project}>
          {m?.description ? ` · ${m.description}` : ''}
          {m?.latestVersion ? ` · latest v${m.latestVersion}` : ''}
        </ProjectLine>
      }
      actions={m && Object.keys(m.tags ?? {}).length > 0 ? <Chips values={m.tags} /> : null}
    >
      <div class="grid-2">
        <Section title="Aliases" data-testid="aliases">
          <Loaded state={aliases} empty="No alias yet.">
            {(items) => (
              <Table
                testid="alias-table"
                rows={items}
                rowKey={(a) => a.alias}
                rowClass={(a) => (a.alias === shownAlias ? 'selected' : '')}
                columns={[
                  {
                    title: 'Alias',
                    cell: (a) => (
                      <span data-testid="alias-row" data-alias={a.alias} data-version={a.version}>
                        <button type="button" class="link" onClick={() => go({ alias: a.alias })} title="show its history">
                          {a.alias}
                        </button>
                        {protectedAliases.includes(a.alias) && <span class="tag protected">protected</span>}
                      </span>
                    ),
                  },
                  {
                    title: 'Version',
                    cell: (a) => (
                      <button type="button" class="link" onClick={() => go({ version: a.version })}>
                        v{a.version}
                      </button>
                    ),
                    class: 'num',
                  },
                  { title: 'Moved', cell: (a) => <Who by={a.movedBy} at={a.movedAt} /> },
                  {
                    title: '',
                    cell: (a) =>
                      mayWrite && (!protectedAliases.includes(a.alias) || mayPromote) ? (
                        <ActionButton
                          kind="danger"
                          confirm={`Delete alias ${a.alias} (now v${a.version})?`}
                          data-testid="delete-alias"
                          action={async () => {
                            await api(`${base}/aliases/${seg(a.alias)}`, { method: 'DELETE', params });
                            reloadAll();
                          }}
                        >
                          Delete
                        </ActionButton>
                      ) : null,
                  },
                ]}
              />
            )}
          </Loaded>
          {mayWrite && versions.data?.length > 0 && (
            <SetAlias
              key={`${project}/${name}`}
              base={base}
              params={params}
              versions={versions.data}
              aliasNames={aliasNames}
              initialAlias={shownAlias}
              protectedAliases={protectedAliases}
              onMoved={(alias) => {
                reloadAll();
                go({ alias });
              }}
            />
          )}
        </Section>
        <Section title={shownAlias ? `History of ${shownAlias}` : 'Alias history'} data-testid="alias-history">
          {shownAlias ? (
            <Loaded state={history} empty="No moves.">
              {(items) => (
                <Table
                  testid="alias-history-table"
                  rows={items}
                  columns={[
                    {
                      title: 'Move',
                      cell: (h) => (
                        <span data-testid="history-row" data-from={h.from ?? ''} data-to={h.to ?? ''}>
                          {h.from === null ? <span class="muted">new</span> : `v${h.from}`}
                          {' → '}
                          {h.to === null ? <span class="muted">deleted</span> : <b>v{h.to}</b>}
                        </span>
                      ),
                    },
                    { title: 'By', cell: (h) => h.movedBy },
                    { title: 'When', cell: (h) => <Time iso={h.movedAt} /> },
                  ]}
                />
              )}
            </Loaded>
          ) : (
            <div class="muted">Set an alias to see its moves here.</div>
          )}
        </Section>
      </div>

      <Section title="Versions" data-testid="model-versions">
        <Loaded state={versions} empty="No version yet.">
          {(items) => (
            <Table
              testid="model-versions-table"
              rows={items}
              rowKey={(v) => v.version}
              rowClass={(v) => (v.version === chosen ? 'selected' : '')}
              columns={[
                {
                  title: 'Version',
                  cell: (v) => (
                    <button type="button" class="link" onClick={() => go({ version: v.version })} data-testid="model-version" data-version={v.version}>
                      v{v.version}
                    </button>
                  ),
                },
                { title: 'Aliases', cell: (v) => <AliasChips aliases={v.aliases} protectedAliases={protectedAliases} /> },
                { title: 'Review', cell: (v) => <Status value={v.status} /> },
                {
                  title: 'Source run',
                  cell: (v) => (
                    <span>
                      <RunLink id={v.run} />
                      {v.step && <span class="muted small"> {v.step}</span>}
                    </span>
                  ),
                },
                {
                  title: 'Artifact',
                  cell: (v) =>
                    v.files?.length === 1 ? (
                      <span class="action">
                        <Sha value={v.files[0].sha256} />
                        <DownloadButton sha256={v.files[0].sha256} path={v.files[0].path} testid="download" />
                      </span>
                    ) : (
                      <span class="muted">{v.files?.length ?? 0} files</span>
                    ),
                },
                { title: 'Metrics', cell: (v) => <Chips values={v.metrics} format={metric} limit={4} />, class: 'wrap' },
                { title: 'Registered', cell: (v) => <Who by={v.createdBy} at={v.createdAt} /> },
              ]}
            />
          )}
        </Loaded>
      </Section>

      {chosen && (
        <VersionPanels
          key={`${project}/${name}/${chosen}`}
          base={base}
          params={params}
          version={versions.data?.find((v) => v.version === chosen)}
          number={chosen}
          mayWrite={mayWrite}
          onChanged={reloadAll}
        />
      )}
    </Page>
  );
}

function SetAlias({ base, params, versions, aliasNames, initialAlias, protectedAliases, onMoved }) {
  const [alias, setAlias] = useState(initialAlias ?? 'staging');
  const [version, setVersion] = useState(String(versions[0].version));
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState(null);
  const [done, setDone] = useState(null);
  const submit = async (e) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    setDone(null);
    try {
      const moved = await api(`${base}/aliases/${seg(alias.trim())}`, {
        method: 'PUT',
        params,
        body: { version: Number(version) },
      });
      setDone(`${moved.alias} → v${moved.version}`);
      onMoved(moved.alias);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  const suggestions = [...new Set([...aliasNames, ...protectedAliases, 'staging', 'production', 'champion'])];
  return (
    <form class="inline-form" onSubmit={submit} data-testid="set-alias-form">
      <label>
        Alias
        <input
          list="alias-names"
          value={alias}
          onInput={(e) => setAlias(e.currentTarget.value)}
          data-testid="alias-name"
          required
          autocomplete="off"
        />
        <datalist id="alias-names">
          {suggestions.map((a) => (
            <option key={a} value={a} />
          ))}
        </datalist>
      </label>
      <label>
        Version
        <select value={version} onChange={(e) => setVersion(e.currentTarget.value)} data-testid="alias-version">
          {versions.map((v) => (
            <option key={v.version} value={String(v.version)} disabled={v.status === 'REJECTED'}>
              v{v.version}
              {v.status && v.status !== 'PENDING' ? ` (${v.status.toLowerCase()})` : ''}
            </option>
          ))}
        </select>
      </label>
      <button type="submit" class="primary" disabled={busy || !alias.trim()} data-testid="set-alias">
        {busy ? 'Moving…' : 'Set alias'}
      </button>
      {done && !error && <span class="muted small" data-testid="alias-moved">moved: {done}</span>}
      {protectedAliases.includes(alias.trim()) && (
        <div class="muted small hint">
          <b>{alias.trim()}</b> is protected: moving it needs the promote permission or the project's admin role.
        </div>
      )}
      {error && (
        <div class="hint" data-testid="alias-error">
          <ErrorBox error={error} />
        </div>
      )}
    </form>
  );
}

function VersionDetail({ base, params, version: v, number, mayWrite, onChanged }) {
  const [note, setNote] = useState('');
  const review = (status) => async () => {
    await api(`${base}/versions/${number}`, { method: 'PATCH', params, body: { status, ...(note ? { note } : {}) } });
    setNote('');
    onChanged();
  };
  return (
    <Section title={`Version ${number}`} data-testid="model-version-detail">
      {!v ? (
        <div class="muted loading">Loading…</div>
      ) : (
        <>
          <KeyValues
            entries={[
              ['Review', <span key="s"><Status value={v.status} />{v.statusBy && <span class="muted small"> by {v.statusBy} <Time iso={v.statusAt} /></span>}</span>],
              ...(v.statusNote ? [['Review note', v.statusNote]] : []),
              ['Source', <span key="r"><RunLink id={v.run} /> {v.step && <span class="mono small">{v.step}</span>}</span>],
              ['Registered', <Who key="w" by={v.createdBy} at={v.createdAt} />],
              ...(v.description ? [['Description', v.description]] : []),
              ...(Object.keys(v.tags ?? {}).length ? [['Tags', <Chips key="t" values={v.tags} />]] : []),
            ]}
          />
          {mayWrite && (
            <div class="review">
              <input placeholder="review note (optional)" value={note} onInput={(e) => setNote(e.currentTarget.value)} />
              <ActionButton action={review('APPROVED')} disabled={v.status === 'APPROVED'} data-testid="approve-version">
                Approve
              </ActionButton>
              <ActionButton kind="danger" action={review('REJECTED')} disabled={v.status === 'REJECTED'} data-testid="reject-version">
                Reject
              </ActionButton>
            </div>
          )}
          <h3>Files</h3>
          <FilesTable files={v.files} testid="model-files" />
          <h3>Metrics of its run</h3>
          {Object.keys(v.metrics ?? {}).length === 0 ? (
            <div class="muted">none</div>
          ) : (
            <Table
              testid="model-metrics"
              rows={Object.entries(v.metrics)}
              rowKey={([k]) => k}
              columns={[
                { title: 'Metric', cell: ([k]) => k },
                { title: 'Value', cell: ([, x]) => <span title={String(x)}>{metric(x)}</span>, class: 'num' },
              ]}
            />
          )}
        </>
      )}
    </Section>
  );
}

const stepName = (node) => node.step ?? node.id;

/** A version's details and where it came from: its lineage's runs, data and code beside it, its steps below. */
function VersionPanels({ base, params, version, number, mayWrite, onChanged }) {
  const lineage = useLoad(() => api(`${base}/versions/${number}/lineage`, { params }), [base, params.project, number]);
  return (
    <>
      <div class="grid-2">
        <VersionDetail base={base} params={params} version={version} number={number} mayWrite={mayWrite} onChanged={onChanged} />
        <Section title={`Lineage of version ${number}`} data-testid="model-lineage">
          <Loaded state={lineage}>{(g) => <LineageView graph={g} />}</Loaded>
        </Section>
      </div>
      {lineage.data?.nodes?.some((n) => n.kind === 'step') && (
        <Section title={`Steps behind version ${number}`}>
          <LineageSteps graph={lineage.data} />
        </Section>
      )}
    </>
  );
}

function graphOf(graph) {
  const nodes = new Map(graph.nodes.map((n) => [n.id, n]));
  const into = (id) => graph.edges.filter((e) => e.to === id);
  const outOf = (id) => graph.edges.filter((e) => e.from === id);
  const fileLabel = (id) => {
    const n = nodes.get(id);
    if (!n) return id;
    if (n.kind === 'artifact') return n.path ?? n.sha256.slice(0, 12);
    if (n.kind === 'datasetVersion') return `dataset ${n.dataset}/${n.version}`;
    if (n.kind === 'modelVersion') return `model ${n.model}/${n.version}`;
    return n.id;
  };
  return { nodes, into, outOf, fileLabel };
}

function LineageView({ graph }) {
  const of = (kind) => graph.nodes.filter((n) => n.kind === kind);
  const runs = of('run');
  const datasets = of('datasetVersion');
  const models = of('modelVersion').filter((n) => n.id !== graph.root);
  const bundles = of('bundle');
  return (
    <div data-testid="lineage">
      {!graph.complete && <div class="muted small">The graph was cut at its limit: not every node is shown.</div>}
      {graph.hidden > 0 && <div class="muted small">{graph.hidden} nodes lie in projects you may not read.</div>}
      <div class="lineage-group">
        <h3>Runs</h3>
        {runs.length === 0 ? (
          <div class="muted">none</div>
        ) : (
          <ul>
            {runs.map((r) => (
              <li key={r.id} data-testid="lineage-run">
                <RunLink id={r.run} /> <Status value={r.status} />{' '}
                {r.pipeline && (
                  <Link to={['pipelines', r.pipeline]} params={{ project: r.project }}>
                    {r.pipeline}
                    {r.pipelineVersion ? ` v${r.pipelineVersion}` : ''}
                  </Link>
                )}{' '}
                <span class="muted small">
                  by {r.createdBy} <Time iso={r.createdAt} />
                </span>
                <div>
                  <Chips values={r.parameters} />
                </div>
              </li>
            ))}
          </ul>
        )}
      </div>
      {(datasets.length > 0 || models.length > 0) && (
        <div class="lineage-group">
          <h3>Data and models it came from</h3>
          <ul>
            {datasets.map((d) => (
              <li key={d.id} data-testid="lineage-dataset">
                dataset{' '}
                <Link to={['datasets', d.dataset]} params={{ project: d.project, version: d.version }}>
                  {d.project}/{d.dataset} v{d.version}
                </Link>
              </li>
            ))}
            {models.map((d) => (
              <li key={d.id}>
                model{' '}
                <Link to={['models', d.model]} params={{ project: d.project, version: d.version }}>
                  {d.project}/{d.model} v{d.version}
                </Link>{' '}
                <Status value={d.status} />
              </li>
            ))}
          </ul>
        </div>
      )}
      {bundles.length > 0 && (
        <div class="lineage-group">
          <h3>Code</h3>
          <ul>
            {bundles.map((b) => (
              <li key={b.id}>
                bundle <Sha value={b.sha256} /> <DownloadButton sha256={b.sha256} path={`bundle-${b.sha256.slice(0, 12)}.tar.gz`} />
              </li>
            ))}
          </ul>
        </div>
      )}
    </div>
  );
}

function LineageSteps({ graph }) {
  const { nodes, into, outOf, fileLabel } = graphOf(graph);
  const steps = graph.nodes.filter((n) => n.kind === 'step');
  const source = (artifactId) =>
    into(artifactId)
      .map((e) => nodes.get(e.from))
      .filter(Boolean)
      .map((n) => (n.kind === 'step' ? stepName(n) : fileLabel(n.id)))
      .join(', ');
  const reuse = (s) => outOf(s.id).filter((e) => e.relation === 'cachedFrom' || e.relation === 'reusedFrom');
  const anyReuse = steps.some((s) => reuse(s).length > 0);
  const manyRuns = new Set(steps.map((s) => s.run)).size > 1;
  const columns = [
    {
      title: 'Step',
      cell: (s) => (
        <span>
          <span class="mono">{stepName(s)}</span> <Status value={s.status} />
          {manyRuns && s.run && (
            <div class="small">
              <RunLink id={s.run} />
            </div>
          )}
        </span>
      ),
    },
    {
      title: 'Inputs',
      class: 'wrap',
      cell: (s) => {
        const ins = into(s.id).filter((e) => e.relation.startsWith('input:'));
        if (ins.length === 0) return <span class="muted">–</span>;
        return (
          <span class="io">
            {ins.map((e, i) => (
              <span key={i}>
                <span class="rel">{e.relation.slice(6)}</span> <span class="mono">{fileLabel(e.from)}</span>
                {source(e.from) && <span class="muted small"> ← {source(e.from)}</span>}
              </span>
            ))}
          </span>
        );
      },
    },
    {
      title: 'Made',
      class: 'wrap',
      cell: (s) => {
        const outs = outOf(s.id).filter((e) => e.relation === 'produced');
        return outs.length === 0 ? (
          <span class="muted">–</span>
        ) : (
          <span class="io">
            {outs.map((e, i) => (
              <span key={i}>
                <span class="mono">{fileLabel(e.to)}</span> <Sha value={nodes.get(e.to)?.sha256} chars={8} />
              </span>
            ))}
          </span>
        );
      },
    },
  ];
  if (anyReuse) {
    columns.push({
      title: 'Reused',
      cell: (s) =>
        reuse(s)
          .map((e) => `${e.relation} ${stepName(nodes.get(e.to) ?? { id: e.to })}`)
          .join(', '),
    });
  }
  return <Table testid="lineage-steps" rows={steps} rowKey={(s) => s.id} columns={columns} />;
}
