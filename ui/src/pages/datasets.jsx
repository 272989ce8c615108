import { Page } from '../ui.jsx';

export function DatasetsPage() {
  return <Page title="DatasetsPage">Not built yet.</Page>;
}

export function DatasetPage() {
  return <Page title="DatasetPage">Not built yet.</Page>;
}

