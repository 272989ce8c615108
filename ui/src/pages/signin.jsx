// Sign-in: a password (POST /login), a token pasted (a personal API token) or OIDC (the server's sign-in pages put
// the token into this tab's sessionStorage and come back to the path the user was on).
import { useEffect, useState } from 'preact/hooks';
import { api, ApiError, session } from '../api.js';
import { ErrorBox, Tabs } from '../ui.jsx';

export function SignIn({ onSignedIn }) {
  const [methods, setMethods] = useState({ password: true, token: true, oidc: false });
  const [tab, setTab] = useState('password');
  const [error, setError] = useState(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    api('/login/methods').then(setMethods, () => {});
  }, []);

  const finish = async (token) => {
    session.signIn(token);
    try {
      await api('/me');
      onSignedIn();
    } catch (e) {
      sessionStorage.removeItem('baton.token');
      throw e;
    }
  };
  const submit = (fn) => async (event) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await fn(new FormData(event.currentTarget));
    } catch (e) {
      setError(e.status === 401 ? new ApiError(401, 'unauthorized', 'That name and password, or that token, is not valid.') : e);
    } finally {
      setBusy(false);
    }
  };
  const oidc = () => {
    // back to this page afterwards: the server takes a path of its own (a hash of plain characters kept)
    const back = /^#[\w/?=&%.,~-]*$/.test(location.hash) ? `/${location.hash}` : '/';
    location.assign(`/api/v1/login/oidc?redirect=${encodeURIComponent(back)}`);
  };

  return (
    <div class="signin">
      <form class="card signin-card" onSubmit={tab === 'password'
        ? submit(async (f) => finish((await api('/login', { method: 'POST', body: { name: f.get('name'), password: f.get('password') } })).token))
        : submit(async (f) => finish(String(f.get('token')).trim()))}>
        <h1>Sign in to Baton</h1>
        <Tabs tabs={[['password', 'Password'], ['token', 'API token']]} current={tab} onSelect={setTab} />
        {tab === 'password' ? (
          <>
            <label>
              User name
              <input name="name" autocomplete="username" required autofocus data-testid="signin-name" />
            </label>
            <label>
              Password
              <input name="password" type="password" autocomplete="current-password" required data-testid="signin-password" />
            </label>
          </>
        ) : (
          <label>
            Token
            <input name="token" type="password" autocomplete="off" required data-testid="signin-token" placeholder="a personal API token (baton tokens create)" />
          </label>
        )}
        <ErrorBox error={error} />
        <button type="submit" class="primary" disabled={busy} data-testid="signin-submit">
          Sign in
        </button>
        {methods.oidc && (
          <button type="button" class="secondary" onClick={oidc} data-testid="signin-oidc">
            Sign in with your organisation (OIDC)
          </button>
        )}
        <p class="muted small">The token stays in this tab only and is sent with each request; no cookie is set.</p>
      </form>
    </div>
  );
}
