// The audit log: every change made through the API, newest first, filtered and paged; the hash chain verified.
import { useEffect, useState } from 'preact/hooks';
import { api } from '../api.js';
import { useMe } from '../context.js';
import { navigate } from '../router.js';
import { ActionButton, ErrorBox, Loaded, Page, Section, Table, Time, useLoad } from '../ui.jsx';
import './ops.css';

const FILTERS = ['project', 'user', 'action', 'since'];

/** A datetime-local value as ISO-8601 (UTC), and back. */
const toIso = (local) => (local ? new Date(local).toISOString() : '');
function toLocal(iso) {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  const p = (n) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}`;
}

function Result({ e }) {
  const ok = e.status < 400;
  return (
    <span class={ok ? 'result-ok' : 'result-bad'} data-testid="audit-result">
      {e.status}
      {e.detail && <div class="audit-detail">{e.detail}</div>}
    </span>
  );
}

function Verify() {
  const [result, setResult] = useState(null);
  return (
    <span class="actions">
      <ActionButton data-testid="verify" action={async () => setResult(await api('/audit/verify'))}>
        Verify chain
      </ActionButton>
      {result && (
        <span
          data-testid="verify-result"
          data-valid={String(result.valid)}
          class={result.valid ? 'notice ok' : 'notice bad'}
        >
          {result.valid ? (
            <>
              ✓ Chain valid: {result.entries.toLocaleString()} entries
              {result.anchoredTo != null && `, anchored up to #${result.anchoredTo} (${result.anchors} anchors)`}
            </>
          ) : (
            <>
              ✗ Chain broken at entry #{result.firstBroken} of {result.entries}
              {result.problem && `: ${result.problem}`}
            </>
          )}
        </span>
      )}
    </span>
  );
}

export function AuditPage({ route }) {
  const { me, project } = useMe();
  const admin = !!me?.user?.admin;
  const q = route.query;
  // A global admin reads every entry; a project admin their project's only (the header's project by default).
  const applied = Object.fromEntries(FILTERS.map((k) => [k, q[k] ?? '']));
  if (!admin && !applied.project && me) applied.project = project;
  const key = JSON.stringify(applied);
  const [form, setForm] = useState(applied);
  const [more, setMore] = useState({ items: [], cursor: undefined });
  const [moreError, setMoreError] = useState(null);
  useEffect(() => {
    setForm(applied);
    setMore({ items: [], cursor: undefined });
    setMoreError(null);
  }, [key]);
  const state = useLoad(() => (me ? api('/audit', { params: { ...applied, limit: 50 } }) : new Promise(() => {})), [key, !!me]);
  const items = state.data ? [...state.data.items, ...more.items] : [];
  const cursor = more.cursor === undefined ? state.data?.nextCursor : more.cursor;
  const set = (k) => (e) => setForm({ ...form, [k]: e.currentTarget.value });
  const apply = (e) => {
    e.preventDefault();
    navigate(['audit'], form);
  };
  return (
    <Page
      title="Audit log"
      subtitle="Every change made through the API, newest first, in a hash chain"
      actions={admin && <Verify />}
    >
      <form class="filters" onSubmit={apply} data-testid="audit-filters">
        <label>
          Project
          <input value={form.project} onInput={set('project')} placeholder={admin ? 'every project' : ''} name="project" />
        </label>
        <label>
          User
          <input value={form.user} onInput={set('user')} placeholder="anyone" name="user" />
        </label>
        <label>
          Action
          <input
            value={form.action}
            onInput={set('action')}
            placeholder="POST /api/v1/runs/{id}/cancel"
            name="action"
            list="audit-actions"
            size="34"
          />
          <datalist id="audit-actions">
            {[...new Set(items.map((e) => e.action))].sort().map((a) => (
              <option key={a} value={a} />
            ))}
          </datalist>
        </label>
        <label>
          Since
          <input type="datetime-local" value={toLocal(form.since)} onInput={(e) => setForm({ ...form, since: toIso(e.currentTarget.value) })} name="since" />
        </label>
        <button type="submit" class="primary" data-testid="audit-apply">
          Filter
        </button>
        {FILTERS.some((k) => q[k]) && (
          <button type="button" onClick={() => navigate(['audit'], {})}>
            Clear
          </button>
        )}
      </form>
      <Section>
        {state.error?.status === 403 && state.data === undefined ? (
          <div class="notice info" data-testid="audit-forbidden">
            The audit log is read by global admins, and by a project's admins for their project: choose a project you
            administer.
          </div>
        ) : (
        <Loaded state={state} empty="No entries match.">
          {() => (
            <>
              <Table
                testid="audit"
                rowKey={(e) => e.seq}
                rows={items}
                columns={[
                  { title: '#', class: 'num', cell: (e) => (
                      <span class="muted" data-testid="audit-seq" title={`hash ${e.hash}\nprevious ${e.prevHash}`}>
                        {e.seq}
                      </span>
                    ),
                  },
                  { title: 'Time', cell: (e) => <Time iso={e.at} /> },
                  {
                    title: 'User',
                    cell: (e) =>
                      e.user ? (
                        <span title={e.address ? `from ${e.address}` : ''}>
                          {e.user}
                          {e.tokenKind && e.tokenKind !== 'user' && <span class="muted small"> ({e.tokenKind})</span>}
                        </span>
                      ) : (
                        <span class="muted">anonymous</span>
                      ),
                  },
                  { title: 'Action', cell: (e) => <span class="mono" data-testid="audit-action">{e.action}</span> },
                  {
                    title: 'Target',
                    class: 'wrap',
                    cell: (e) =>
                      e.objectType ? (
                        <span>
                          <span class="muted">{e.objectType}</span> <span class="mono">{e.objectId}</span>
                        </span>
                      ) : (
                        ''
                      ),
                  },
                  { title: 'Project', cell: (e) => e.project ?? <span class="muted">–</span> },
                  { title: 'Result', class: 'wrap', cell: (e) => <Result e={e} /> },
                ]}
              />
              <ErrorBox error={moreError} />
              <div class="load-more">
                {cursor ? (
                  <ActionButton
                    data-testid="load-more"
                    action={async () => {
                      try {
                        const page = await api('/audit', { params: { ...applied, limit: 50, cursor } });
                        setMore((m) => ({ items: [...m.items, ...page.items], cursor: page.nextCursor }));
                      } catch (e) {
                        setMoreError(e);
                      }
                    }}
                  >
                    Load more
                  </ActionButton>
                ) : (
                  <span class="muted small" data-testid="audit-end">
                    {items.length} entries, the end of the log
                  </span>
                )}
              </div>
            </>
          )}
        </Loaded>
        )}
      </Section>
    </Page>
  );
}
