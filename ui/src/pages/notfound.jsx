import { Page } from '../ui.jsx';

export function NotFound({ route }) {
  return (
    <Page title="Not found">
      <p>
        There is no page at <code>#{route.path}</code>. <a href="#/runs">Runs</a>
      </p>
    </Page>
  );
}
