import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { session } from './api.js';
import { App } from './app.jsx';
import { SignIn } from './pages/signin.jsx';
import './style.css';

function Root() {
  const [token, setToken] = useState(session.token());
  useEffect(() => session.onSignOut(() => setToken(null)), []);
  if (!token) return <SignIn onSignedIn={() => setToken(session.token())} />;
  return <App />;
}

render(<Root />, document.getElementById('app'));
