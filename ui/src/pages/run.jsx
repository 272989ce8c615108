import { Page } from '../ui.jsx';

export function RunPage() {
  return <Page title="RunPage">Not built yet.</Page>;
}

