import { Page } from '../ui.jsx';

export function TokensPage() {
  return <Page title="TokensPage">Not built yet.</Page>;
}

