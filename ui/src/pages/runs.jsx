import { Page } from '../ui.jsx';

export function RunsPage() {
  return <Page title="RunsPage">Not built yet.</Page>;
}

