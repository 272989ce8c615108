// The API client: every call carries the tab's bearer token (sessionStorage, never a cookie); a 401 signs the tab out.

const TOKEN_KEY = 'baton.token';
const signedOutListeners = new Set();

export const session = {
  token: () => sessionStorage.getItem(TOKEN_KEY),
  signIn(token) {
    sessionStorage.setItem(TOKEN_KEY, token);
  },
  signOut() {
    sessionStorage.removeItem(TOKEN_KEY);
    signedOutListeners.forEach((f) => f());
  },
  onSignOut(f) {
    signedOutListeners.add(f);
    return () => signedOutListeners.delete(f);
  },
};

/** An error answer of the API: {error, message, details}. */
export class ApiError extends Error {
  constructor(status, code, message, details) {
    super(message);
    this.status = status;
    this.code = code;
    this.details = details ?? [];
  }
}

/** A query string from an object: empty values left out, arrays as repeated keys. */
export function query(params) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params ?? {})) {
    for (const one of Array.isArray(v) ? v : [v]) {
      if (one !== undefined && one !== null && one !== '') q.append(k, String(one));
    }
  }
  const s = q.toString();
  return s ? `?${s}` : '';
}

/** A path segment: names like `train[lr=0.1]` travel encoded. */
export const seg = (s) => encodeURIComponent(s);

async function send(path, { method = 'GET', body, params, signal, headers = {} } = {}) {
  const h = { Accept: 'application/json', ...headers };
  const t = session.token();
  if (t) h.Authorization = `Bearer ${t}`;
  if (body !== undefined) h['Content-Type'] = 'application/json';
  let res;
  try {
    res = await fetch(`/api/v1${path}${query(params)}`, {
      method,
      headers: h,
      body: body === undefined ? undefined : JSON.stringify(body),
      signal,
      credentials: 'omit',
    });
  } catch (e) {
    if (e.name === 'AbortError') throw e;
    throw new ApiError(0, 'unreachable', 'The Baton server cannot be reached: is it running?');
  }
  if (res.ok) return res;
  let error = { error: 'http_' + res.status, message: `${method} ${path} answered ${res.status}` };
  try {
    error = await res.json();
  } catch {
    // not JSON: keep the status line
  }
  if (res.status === 401 && t && path !== '/login') session.signOut();
  throw new ApiError(res.status, error.error, error.message, error.details);
}

/** JSON of a route (null for 204). */
export async function api(path, options) {
  const res = await send(path, options);
  if (res.status === 204) return null;
  const type = res.headers.get('Content-Type') ?? '';
  return type.includes('json') ? res.json() : res.text();
}

/** Every item of a list route, following nextCursor up to `max` items. */
export async function all(path, params = {}, max = 2000) {
  const items = [];
  let cursor = null;
  do {
    const page = await api(path, { params: { ...params, limit: 500, cursor } });
    items.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor && items.length < max);
  return items;
}

/**
 * Reads a text route as it grows (a log with follow=true): calls onText with each piece until the answer ends or
 * the signal aborts. fetch, not EventSource: EventSource cannot send the bearer token.
 */
export async function follow(path, params, onText, signal) {
  const res = await send(path, { params, signal, headers: { Accept: 'text/plain' } });
  const reader = res.body.getReader();
  const decoder = new TextDecoder();
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    onText(decoder.decode(value, { stream: true }));
  }
  onText(decoder.decode());
}

/** Saves a route's bytes as a file (an artifact, a record) through a blob: the token never appears in a URL. */
export async function download(path, fileName, params) {
  const res = await send(path, { params, headers: { Accept: '*/*' } });
  const url = URL.createObjectURL(await res.blob());
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
