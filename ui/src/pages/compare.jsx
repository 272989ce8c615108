import { Page } from '../ui.jsx';

export function ComparePage() {
  return <Page title="ComparePage">Not built yet.</Page>;
}

