// Hash routes (#/runs/ID?tab=logs): the server serves one page at /, and a route never reaches it.
import { useEffect, useState } from 'preact/hooks';

export function currentRoute() {
  const hash = location.hash.replace(/^#/, '') || '/runs';
  const [path, q = ''] = hash.split('?');
  const parts = path.split('/').filter(Boolean).map(decodeURIComponent);
  return { path, parts, query: Object.fromEntries(new URLSearchParams(q)) };
}

export function useRoute() {
  const [route, setRoute] = useState(currentRoute);
  useEffect(() => {
    const changed = () => setRoute(currentRoute());
    addEventListener('hashchange', changed);
    return () => removeEventListener('hashchange', changed);
  }, []);
  return route;
}

/** An href for a route: parts are encoded one by one, the query's empty values left out. */
export function href(parts, params) {
  const path = '/' + (Array.isArray(parts) ? parts : [parts]).map((p) => encodeURIComponent(p)).join('/');
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params ?? {})) if (v !== undefined && v !== null && v !== '') q.set(k, v);
  const s = q.toString();
  return `#${path}${s ? '?' + s : ''}`;
}

export function navigate(parts, params, { replace = false } = {}) {
  const target = href(parts, params);
  if (replace) history.replaceState(null, '', target);
  else history.pushState(null, '', target);
  dispatchEvent(new HashChangeEvent('hashchange'));
}
