// Shared pieces of every page: loading a route (and polling it), tables, statuses, times, buttons that call the API.
import { Fragment } from 'preact';
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { href } from './router.js';

/**
 * Loads fn() when deps change, and again every `poll` ms while the tab is visible and `poll` is set. A reload keeps
 * the last data on the page (no flicker); an error shows beside it.
 */
export function useLoad(fn, deps, { poll } = {}) {
  const [state, setState] = useState({ data: undefined, error: null, loading: true });
  const latest = useRef(0);
  const load = useCallback(async () => {
    const mine = ++latest.current;
    try {
      const data = await fn();
      if (mine === latest.current) setState({ data, error: null, loading: false });
    } catch (error) {
      if (mine === latest.current) setState((s) => ({ data: s.data, error, loading: false }));
    }
  }, deps);
  useEffect(() => {
    setState({ data: undefined, error: null, loading: true });
    load();
  }, [load]);
  useEffect(() => {
    if (!poll) return undefined;
    const timer = setInterval(() => {
      if (document.visibilityState === 'visible') load();
    }, poll);
    return () => clearInterval(timer);
  }, [load, poll]);
  return { ...state, reload: load };
}

export function Link({ to, params, children, ...rest }) {
  return (
    <a href={href(to, params)} {...rest}>
      {children}
    </a>
  );
}

export function Page({ title, subtitle, actions, children }) {
  return (
    <section class="page">
      <header class="page-head">
        <div>
          <h1>{title}</h1>
          {subtitle && <div class="subtitle">{subtitle}</div>}
        </div>
        {actions && <div class="actions">{actions}</div>}
      </header>
      {children}
    </section>
  );
}

export function Section({ title, actions, children, ...rest }) {
  return (
    <section class="card" {...rest}>
      {(title || actions) && (
        <header class="card-head">
          <h2>{title}</h2>
          {actions && <div class="actions">{actions}</div>}
        </header>
      )}
      {children}
    </section>
  );
}

export function ErrorBox({ error }) {
  if (!error) return null;
  return (
    <div class="error" role="alert">
      {error.message}
      {error.details?.length > 0 && (
        <ul>
          {error.details.map((d, i) => (
            <li key={i}>
              {d.line ? `line ${d.line}: ` : ''}
              {d.path ? `${d.path}: ` : ''}
              {d.message}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

/** The loading, error and empty states of a loaded route around what shows its data. */
export function Loaded({ state, empty, children }) {
  if (state.data === undefined) {
    return state.error ? <ErrorBox error={state.error} /> : <div class="muted loading">Loading…</div>;
  }
  const isEmpty = Array.isArray(state.data) ? state.data.length === 0 : state.data?.items?.length === 0;
  return (
    <>
      <ErrorBox error={state.error} />
      {isEmpty && empty ? <div class="muted empty">{empty}</div> : children(state.data)}
    </>
  );
}

/** columns: [{title, cell: row => node, class?}] */
export function Table({ columns, rows, rowKey, rowClass, testid }) {
  return (
    <div class="table-wrap">
      <table data-testid={testid}>
        <thead>
          <tr>
            {columns.map((c) => (
              <th key={c.title} class={c.class}>
                {c.title}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((r, i) => (
            <tr key={rowKey ? rowKey(r) : i} class={rowClass?.(r)}>
              {columns.map((c) => (
                <td key={c.title} class={c.class}>
                  {c.cell(r)}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function Status({ value }) {
  if (!value) return null;
  return <span class={`status status-${value.toLowerCase()}`}>{value}</span>;
}

const units = [
  ['d', 86_400_000],
  ['h', 3_600_000],
  ['m', 60_000],
  ['s', 1000],
];

export function duration(ms) {
  if (ms === null || ms === undefined || Number.isNaN(ms)) return '';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const parts = [];
  let rest = ms;
  for (const [u, size] of units) {
    if (rest >= size || (u === 's' && parts.length === 0)) {
      parts.push(`${Math.floor(rest / size)}${u}`);
      rest %= size;
    }
    if (parts.length === 2) break;
  }
  return parts.join(' ');
}

/** A time as "3m ago" (or "in 5m"), with the ISO time as its title. */
export function Time({ iso }) {
  if (!iso) return <span class="muted">–</span>;
  const t = new Date(iso);
  const d = Date.now() - t.getTime();
  const text = Math.abs(d) < 5000 ? 'now' : d > 0 ? `${duration(d)} ago` : `in ${duration(-d)}`;
  return (
    <time dateTime={iso} title={t.toISOString()}>
      {text}
    </time>
  );
}

export function Elapsed({ from, to }) {
  if (!from) return <span class="muted">–</span>;
  const end = to ? new Date(to) : new Date();
  return <span>{duration(end - new Date(from))}</span>;
}

/** A button that runs an async action: disabled while it runs, its error shown beside it. */
export function ActionButton({ action, children, confirm: question, kind, ...rest }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState(null);
  const run = async () => {
    if (question && !window.confirm(question)) return;
    setBusy(true);
    setError(null);
    try {
      await action();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <span class="action">
      <button type="button" class={kind} disabled={busy} onClick={run} {...rest}>
        {children}
      </button>
      {error && (
        <span class="error inline" role="alert">
          {error.message}
        </span>
      )}
    </span>
  );
}

export function KeyValues({ entries, testid }) {
  const list = Array.isArray(entries) ? entries : Object.entries(entries ?? {});
  if (list.length === 0) return <div class="muted">none</div>;
  return (
    <dl class="kv" data-testid={testid}>
      {list.map(([k, v]) => (
        <Fragment key={k}>
          <dt>{k}</dt>
          <dd>{typeof v === 'object' && v !== null && !v.type ? JSON.stringify(v) : v}</dd>
        </Fragment>
      ))}
    </dl>
  );
}

export function Tabs({ tabs, current, onSelect }) {
  return (
    <nav class="tabs" role="tablist">
      {tabs.map(([id, label]) => (
        <button
          key={id}
          type="button"
          role="tab"
          aria-selected={current === id}
          class={current === id ? 'tab current' : 'tab'}
          onClick={() => onSelect(id)}
        >
          {label}
        </button>
      ))}
    </nav>
  );
}

export function bytes(n) {
  if (n === null || n === undefined) return '';
  const u = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let i = 0;
  let v = n;
  while (v >= 1024 && i < u.length - 1) {
    v /= 1024;
    i++;
  }
  return `${i === 0 ? v : v.toFixed(1)} ${u[i]}`;
}

export const short = (id) => (id && id.length > 12 ? id.slice(0, 12) : id);
