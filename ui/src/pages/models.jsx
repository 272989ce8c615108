import { Page } from '../ui.jsx';

export function ModelsPage() {
  return <Page title="ModelsPage">Not built yet.</Page>;
}

export function ModelPage() {
  return <Page title="ModelPage">Not built yet.</Page>;
}

