// One model version: its details and review, and its lineage (the runs, data and code it came from, the steps behind it).
import { useState } from 'preact/hooks';
import { api } from '../api.js';
import { ActionButton, KeyValues, Link, Loaded, Section, Status, Table, Time, useLoad } from '../ui.jsx';
import { Chips, DownloadButton, FilesTable, metric, RunLink, Sha, Who } from './registry.jsx';

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
export function VersionPanels({ base, params, version, number, mayWrite, onChanged }) {
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
