// Pieces the registry's pages share (pipelines, datasets, models): hashes, who and when, files with downloads.
import { all, download, seg } from '../api.js';
import { useProject } from '../context.js';
import { ActionButton, bytes, Link, Loaded, Page, Section, short, Table, Time, useLoad } from '../ui.jsx';
import './registry.css';

/** A sha256 shown short, the whole of it as its title (and selectable). */
export function Sha({ value, chars = 12 }) {
  if (!value) return <span class="muted">–</span>;
  return (
    <code class="sha" title={value}>
      {value.slice(0, chars)}
    </code>
  );
}

/** "admin, 3m ago" */
export function Who({ by, at }) {
  return (
    <span class="who-when">
      {by && <span class="by">{by}</span>}
      {by && at ? <span class="muted"> · </span> : null}
      <Time iso={at} />
    </span>
  );
}

export function RunLink({ id, children }) {
  if (!id) return <span class="muted">–</span>;
  return (
    <Link to={['runs', id]} class="mono" title={id}>
      {children ?? short(id)}
    </Link>
  );
}

const baseName = (path) => path.split('/').pop() || path;

/** Saves one stored file (by its sha256) under its own name. */
export function DownloadButton({ sha256, path, label = 'Download', testid }) {
  return (
    <ActionButton action={() => download(`/artifacts/${seg(sha256)}`, baseName(path ?? sha256))} data-testid={testid}>
      {label}
    </ActionButton>
  );
}

/** The files of a dataset or model version: path, size, sha256 and a download each. */
export function FilesTable({ files, testid = 'files' }) {
  if (!files?.length) return <div class="muted">no files</div>;
  return (
    <Table
      testid={testid}
      rowKey={(f) => f.path}
      rows={files}
      columns={[
        { title: 'Path', cell: (f) => <span class="mono">{f.path}</span>, class: 'wrap' },
        { title: 'Size', cell: (f) => bytes(f.size), class: 'num' },
        { title: 'sha256', cell: (f) => <Sha value={f.sha256} /> },
        { title: '', cell: (f) => <DownloadButton sha256={f.sha256} path={f.path} testid="download" /> },
      ]}
    />
  );
}

/** Key=value chips (parameters, tags, metrics). */
export function Chips({ values, format = (v) => String(v), limit = 8 }) {
  const list = Object.entries(values ?? {});
  if (list.length === 0) return <span class="muted">–</span>;
  return (
    <span class="chips">
      {list.slice(0, limit).map(([k, v]) => (
        <span class="chip" key={k} title={`${k} = ${typeof v === 'object' ? JSON.stringify(v) : v}`}>
          <span class="chip-k">{k}</span> {typeof v === 'object' ? JSON.stringify(v) : format(v)}
        </span>
      ))}
      {list.length > limit && <span class="muted small">+{list.length - limit}</span>}
    </span>
  );
}

/** A metric's value, rounded for reading (the title keeps it whole). */
export function metric(v) {
  if (typeof v !== 'number') return String(v);
  if (Number.isInteger(v)) return String(v);
  const a = Math.abs(v);
  return a !== 0 && (a < 1e-3 || a >= 1e6) ? v.toExponential(3) : String(Number(v.toPrecision(4)));
}

/** The line under a page's title for an object in a project. */
export function ProjectLine({ project, children }) {
  return (
    <span>
      project <b>{project}</b>
      {children}
    </span>
  );
}

/**
 * A project's named objects of one section (`datasets`, `models`, `pipelines`): every one from its list route, its
 * name a link to its page (data-testid `<noun>-link`), then `columns`.
 */
export function NamedList({ route, section, noun, title, subtitle, empty, columns }) {
  const project = useProject(route);
  const state = useLoad(() => all(`/${section}`, { project }), [section, project]);
  return (
    <Page title={title} subtitle={<ProjectLine project={project}>{subtitle}</ProjectLine>}>
      <Section>
        <Loaded state={state} empty={empty(project)}>
          {(items) => (
            <Table
              testid={section}
              rows={items}
              rowKey={(o) => o.name}
              columns={[
                {
                  title: 'Name',
                  cell: (o) => (
                    <Link to={[section, o.name]} params={{ project: o.project }} data-testid={`${noun}-link`}>
                      {o.name}
                    </Link>
                  ),
                },
                ...columns,
              ]}
            />
          )}
        </Loaded>
      </Section>
    </Page>
  );
}
