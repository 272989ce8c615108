// Datasets of a project: the list, and a dataset's page: its versions (size, files, who and when, the run that made
// one), the files of a chosen version with downloads, and the runs that read them.
import { all, api, seg } from '../api.js';
import { useProject } from '../context.js';
import { navigate } from '../router.js';
import { bytes, ErrorBox, KeyValues, Loaded, Page, Section, Table, Time, useLoad, Link } from '../ui.jsx';
import { FilesTable, NamedList, ProjectLine, RunLink, Sha, Who } from './registry.jsx';

export function DatasetsPage({ route }) {
  return (
    <NamedList
      route={route}
      section="datasets"
      noun="dataset"
      title="Datasets"
      empty={(project) => `No dataset in project ${project}: POST /api/v1/datasets makes one.`}
      columns={[
        { title: 'Latest', cell: (d) => (d.latestVersion ? `v${d.latestVersion}` : '–'), class: 'num' },
        { title: 'Description', cell: (d) => d.description ?? <span class="muted">–</span>, class: 'wrap' },
        { title: 'Created', cell: (d) => <Who by={d.createdBy} at={d.createdAt} /> },
      ]}
    />
  );
}

export function DatasetPage({ route }) {
  const name = route.parts[1];
  const project = useProject(route);
  const base = `/datasets/${seg(name)}`;
  const dataset = useLoad(() => api(base, { params: { project } }), [name, project]);
  const versions = useLoad(() => all(`${base}/versions`, { project }), [name, project]);
  const latest = versions.data?.[0]?.version;
  const chosen = route.query.version ? Number(route.query.version) : latest;
  const version = versions.data?.find((v) => v.version === chosen);
  const choose = (v) => navigate(['datasets', name], { ...route.query, project, version: v }, { replace: true });

  if (dataset.data === undefined && dataset.error) {
    return (
      <Page title={name} subtitle={<ProjectLine project={project} />}>
        <ErrorBox error={dataset.error} />
      </Page>
    );
  }
  const d = dataset.data;
  return (
    <Page
      title={name}
      subtitle={
        <ProjectLine project={project}>
          {d?.description ? ` · ${d.description}` : ''}
        </ProjectLine>
      }
    >
      <Section title="Versions" data-testid="dataset-versions">
        <Loaded state={versions} empty="No version yet: POST /api/v1/datasets/NAME/versions adds one (a tar.gz, a run's outputs or stored blobs).">
          {(items) => (
            <Table
              testid="dataset-versions-table"
              rows={items}
              rowKey={(v) => v.version}
              rowClass={(v) => (v.version === chosen ? 'selected' : '')}
              columns={[
                {
                  title: 'Version',
                  cell: (v) => (
                    <button type="button" class="link" onClick={() => choose(v.version)} data-testid="dataset-version" data-version={v.version}>
                      v{v.version}
                    </button>
                  ),
                },
                { title: 'Files', cell: (v) => v.files?.length ?? 0, class: 'num' },
                { title: 'Size', cell: (v) => bytes(v.size), class: 'num' },
                { title: 'Made from', cell: (v) => (v.run ? <span><RunLink id={v.run} /> <span class="mono small">{v.step}</span></span> : <span class="muted">upload</span>) },
                { title: 'Description', cell: (v) => v.description ?? <span class="muted">–</span>, class: 'wrap' },
                { title: 'Created', cell: (v) => <Who by={v.createdBy} at={v.createdAt} /> },
              ]}
            />
          )}
        </Loaded>
      </Section>
      {version && (
        <div class="grid-2">
          <Section title={`Files of version ${version.version}`} data-testid="dataset-files">
            <KeyValues
              entries={[
                ['Reference', <code key="r">dataset://{project}/{name}/{version.version}</code>],
                ['Size', `${bytes(version.size)} in ${version.files.length} file${version.files.length === 1 ? '' : 's'}`],
                ['Created', <Who key="w" by={version.createdBy} at={version.createdAt} />],
                ...(version.run ? [['Made by', <span key="m"><RunLink id={version.run} /> step <span class="mono">{version.step}</span></span>]] : []),
              ]}
            />
            <h3>Files</h3>
            <FilesTable files={version.files} testid="dataset-files-table" />
          </Section>
          <UsedBy key={`${project}/${name}/${version.version}`} project={project} files={version.files} />
        </div>
      )}
    </Page>
  );
}

/** The runs that read a version's files, and what made them: each file's lineage (the first 20 files). */
function UsedBy({ project, files }) {
  const state = useLoad(
    () =>
      Promise.all(
        files.slice(0, 20).map((f) =>
          api(`/artifacts/${seg(f.sha256)}/lineage`, { params: { project } }).then(
            (l) => ({ file: f, lineage: l }),
            () => ({ file: f, lineage: null }),
          ),
        ),
      ),
    [project, files.map((f) => f.sha256).join()],
  );
  return (
    <Section title="Lineage" data-testid="dataset-lineage">
      <Loaded state={state}>
        {(items) => {
          const used = items.flatMap(({ file, lineage }) => (lineage?.usedBy ?? []).map((u) => ({ ...u, file: file.path })));
          const made = items.flatMap(({ file, lineage }) => (lineage?.producedBy ?? []).map((p) => ({ ...p, file: file.path })));
          const alsoIn = items.flatMap(({ file, lineage }) =>
            (lineage?.models ?? []).map((m) => ({ ...m, file: file.path })),
          );
          return (
            <>
              <h3>Read by</h3>
              {used.length === 0 ? (
                <div class="muted">No run has read these files yet.</div>
              ) : (
                <Table
                  testid="dataset-used-by"
                  rows={used.slice(0, 50)}
                  columns={[
                    { title: 'Run', cell: (u) => <RunLink id={u.run} /> },
                    { title: 'Step', cell: (u) => <span class="mono">{u.step}</span> },
                    { title: 'Input', cell: (u) => u.input },
                    { title: 'File', cell: (u) => <span class="mono">{u.file}</span> },
                  ]}
                />
              )}
              {made.length > 0 && (
                <>
                  <h3>Produced by</h3>
                  <Table
                    rows={made.slice(0, 50)}
                    columns={[
                      { title: 'Run', cell: (p) => <RunLink id={p.run} /> },
                      { title: 'Step', cell: (p) => <span class="mono">{p.step}</span> },
                      { title: 'File', cell: (p) => <span class="mono">{p.file}</span> },
                      { title: 'When', cell: (p) => <Time iso={p.at} /> },
                    ]}
                  />
                </>
              )}
              {alsoIn.length > 0 && (
                <>
                  <h3>Also in models</h3>
                  <ul>
                    {alsoIn.map((m, i) => (
                      <li key={i}>
                        <Link to={['models', m.name ?? m.model]} params={{ project: m.project, version: m.version }}>
                          {m.project}/{m.name ?? m.model} v{m.version}
                        </Link>{' '}
                        <Sha value={m.sha256} />
                      </li>
                    ))}
                  </ul>
                </>
              )}
            </>
          );
        }}
      </Loaded>
    </Section>
  );
}
