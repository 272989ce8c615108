// Personal API tokens: the caller's own (every one for a global admin), a new one shown once, revoking.
import { useState } from 'preact/hooks';
import { api, seg } from '../api.js';
import { useMe } from '../context.js';
import { ActionButton, ErrorBox, Loaded, Page, Section, Table, Time, useLoad } from '../ui.jsx';
import './ops.css';

function Secret({ created, onDone }) {
  const [copied, setCopied] = useState(false);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(created.token);
      setCopied(true);
    } catch {
      // no clipboard (an insecure origin): the text is selectable
      setCopied(false);
    }
  };
  return (
    <Section title={`Token ${created.name} created`} data-testid="new-token">
      <div class="notice warn">
        Copy this token now: it is shown only this once. Baton keeps only its hash, so nobody can show it again.
      </div>
      <div class="secret">
        <code data-testid="token-secret">{created.token}</code>
        <button type="button" onClick={copy} data-testid="copy-token">
          {copied ? 'Copied ✓' : 'Copy'}
        </button>
      </div>
      <div class="muted small">
        Use it as <span class="mono">Authorization: Bearer …</span>, or <span class="mono">export BATON_TOKEN=…</span> for the
        CLI. {created.expiresAt ? 'It expires ' : 'It does not expire.'}
        {created.expiresAt && <Time iso={created.expiresAt} />}
      </div>
      <div class="load-more">
        <button type="button" class="primary" onClick={onDone} data-testid="token-done">
          I have copied it
        </button>
      </div>
    </Section>
  );
}

function CreateForm({ admin, onCreated }) {
  const [name, setName] = useState('');
  const [expires, setExpires] = useState('');
  const [asAdmin, setAsAdmin] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState(null);
  const submit = async (e) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const body = { kind: 'user', name: name.trim() };
      if (expires) body.expiresAt = new Date(`${expires}T23:59:59`).toISOString();
      if (admin) body.admin = asAdmin;
      const created = await api('/tokens', { method: 'POST', body });
      setName('');
      setExpires('');
      onCreated(created);
    } catch (x) {
      setError(x);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Section title="New token">
      <form class="form-row" onSubmit={submit} data-testid="token-form">
        <label>
          Name
          <input value={name} onInput={(e) => setName(e.currentTarget.value)} placeholder="laptop" required name="name" data-testid="token-name" />
        </label>
        <label>
          Expires (optional)
          <input type="date" value={expires} onInput={(e) => setExpires(e.currentTarget.value)} name="expires" />
        </label>
        {admin && (
          <label class="check" title="Without it, the token has only the roles you hold in projects">
            <input type="checkbox" checked={asAdmin} onChange={(e) => setAsAdmin(e.currentTarget.checked)} />
            acts as a global admin
          </label>
        )}
        <button type="submit" class="primary" disabled={busy || !name.trim()} data-testid="create-token">
          Create token
        </button>
      </form>
      <ErrorBox error={error} />
    </Section>
  );
}

export function TokensPage() {
  const { me } = useMe();
  const admin = !!me?.user?.admin;
  const [created, setCreated] = useState(null);
  const state = useLoad(() => api('/tokens'), []);
  return (
    <Page
      title="API tokens"
      subtitle={admin ? 'Every active token (you are a global admin)' : 'Your personal API tokens, for the CLI, scripts and CI'}
    >
      {created ? (
        <Secret created={created} onDone={() => setCreated(null)} />
      ) : (
        <CreateForm
          admin={admin}
          onCreated={(t) => {
            setCreated(t);
            state.reload();
          }}
        />
      )}
      <Section title="Active tokens">
        <Loaded state={state} empty="No active tokens.">
          {(data) => (
            <Table
              testid="tokens"
              rowKey={(t) => t.id}
              rows={data.items}
              rowClass={(t) => (created?.id === t.id ? 'selected' : '')}
              columns={[
                {
                  title: 'Name',
                  cell: (t) => (
                    <strong data-testid="token-row" data-name={t.name} data-id={t.id}>
                      {t.name}
                    </strong>
                  ),
                },
                {
                  title: 'Kind',
                  cell: (t) => (
                    <span>
                      {t.kind}
                      {t.admin && <span class="chip admin">admin</span>}
                    </span>
                  ),
                },
                ...(admin ? [{ title: 'Owner', cell: (t) => t.user ?? <span class="muted">–</span> }] : []),
                ...(data.items.some((t) => t.kind === 'worker')
                  ? [{ title: 'Pools', cell: (t) => (t.kind === 'worker' ? (t.pools?.join(', ') ?? 'any') : '') }]
                  : []),
                { title: 'Created', cell: (t) => <Time iso={t.createdAt} /> },
                {
                  title: 'Expires',
                  cell: (t) => (t.expiresAt ? <Time iso={t.expiresAt} /> : <span class="muted">never</span>),
                },
                { title: 'Last used', cell: (t) => (t.lastUsedAt ? <Time iso={t.lastUsedAt} /> : <span class="muted">never</span>) },
                {
                  title: '',
                  cell: (t) => (
                    <ActionButton
                      kind="danger"
                      data-testid="delete-token"
                      confirm={`Revoke token ${t.name}${t.user ? ` of ${t.user}` : ''}? Whatever uses it is refused from now on.`}
                      action={async () => {
                        await api(`/tokens/${seg(t.id)}`, { method: 'DELETE' });
                        if (created?.id === t.id) setCreated(null);
                        await state.reload();
                      }}
                    >
                      Revoke
                    </ActionButton>
                  ),
                },
              ]}
            />
          )}
        </Loaded>
      </Section>
    </Page>
  );
}
