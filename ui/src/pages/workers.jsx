import { Page } from '../ui.jsx';

export function WorkersPage() {
  return <Page title="WorkersPage">Not built yet.</Page>;
}

