import { Page } from '../ui.jsx';

export function PipelinesPage() {
  return <Page title="PipelinesPage">Not built yet.</Page>;
}

export function PipelinePage() {
  return <Page title="PipelinePage">Not built yet.</Page>;
}

