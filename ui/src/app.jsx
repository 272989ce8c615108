// The frame of every page once signed in: the navigation, the project chooser and who is signed in; the route's page.
import { useEffect, useState } from 'preact/hooks';
import { api, session } from './api.js';
import { Me } from './context.js';
import { navigate, useRoute } from './router.js';
import logo from './favicon.svg';
import { ErrorBox } from './ui.jsx';
import { pageFor, NAV } from './pages/index.js';

const PROJECT_KEY = 'baton.project';

export function App() {
  const route = useRoute();
  const [me, setMe] = useState(null);
  const [error, setError] = useState(null);
  const [project, setProjectState] = useState(sessionStorage.getItem(PROJECT_KEY) || 'default');
  const setProject = (p) => {
    sessionStorage.setItem(PROJECT_KEY, p);
    setProjectState(p);
  };
  useEffect(() => {
    api('/me').then(setMe, setError);
  }, []);
  const { Page, section } = pageFor(route);
  // a page about one project's object (?project=P) shows that project in the header; choosing another there follows
  const shown = route.query.project || project;
  const choose = (p) => {
    setProject(p);
    if (route.query.project) navigate(route.parts, { ...route.query, project: p });
  };
  const projects = me?.projects?.map((p) => p.name) ?? [];
  if (me && projects.length > 0 && !projects.includes(shown)) projects.unshift(shown);
  return (
    <Me.Provider value={{ me, project: shown, setProject }}>
      <div class="layout">
        <aside class="nav">
          <a class="brand" href="#/runs">
            <img src={logo} alt="" width="22" height="22" />
            Baton
          </a>
          <nav>
            {NAV.map(([id, label]) => (
              <a key={id} href={`#/${id}`} class={section === id ? 'current' : ''} data-nav={id}>
                {label}
              </a>
            ))}
          </nav>
        </aside>
        <div class="main">
          <header class="top">
            <label class="project">
              Project{' '}
              <select value={shown} onChange={(e) => choose(e.currentTarget.value)} data-testid="project">
                {(projects.length ? projects : [shown]).map((p) => (
                  <option key={p} value={p}>
                    {p}
                  </option>
                ))}
              </select>
            </label>
            <span class="who" data-testid="me">
              {me ? me.user.name : ''}
            </span>
            <button type="button" class="link" onClick={() => session.signOut()} data-testid="sign-out">
              Sign out
            </button>
          </header>
          <ErrorBox error={error} />
          <main>
            <Page route={route} />
          </main>
        </div>
      </div>
    </Me.Provider>
  );
}
