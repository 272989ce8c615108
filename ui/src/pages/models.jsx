// Models of a project: the list, and a model's page: its aliases (moved, deleted, with their history), its versions
// (source run, files, metrics, review), and the lineage of one version.
import { useState } from 'preact/hooks';
import { all, api, seg } from '../api.js';
import { can, useMe, useProject } from '../context.js';
import { navigate } from '../router.js';
import { ActionButton, ErrorBox, Loaded, Page, Section, Status, Table, Time, useLoad } from '../ui.jsx';
import { VersionPanels } from './modelversion.jsx';
import { Chips, DownloadButton, metric, NamedList, ProjectLine, RunLink, Sha, Who } from './registry.jsx';

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
  return (
    <NamedList
      route={route}
      section="models"
      noun="model"
      title="Models"
      empty={(project) => `No model in project ${project}: a step's register: or POST /api/v1/models makes one.`}
      columns={[
        { title: 'Latest', cell: (m) => (m.latestVersion ? `v${m.latestVersion}` : '–'), class: 'num' },
        { title: 'Aliases', cell: (m) => <AliasChips aliases={m.aliases} protectedAliases={m.protectedAliases} />, class: 'wrap' },
        { title: 'Description', cell: (m) => m.description ?? <span class="muted">–</span>, class: 'wrap' },
        { title: 'Tags', cell: (m) => <Chips values={m.tags} />, class: 'wrap' },
        { title: 'Updated', cell: (m) => <Time iso={m.updatedAt ?? m.createdAt} /> },
      ]}
    />
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
