import { Page } from '../ui.jsx';

export function SchedulesPage() {
  return <Page title="SchedulesPage">Not built yet.</Page>;
}

export function SchedulePage() {
  return <Page title="SchedulePage">Not built yet.</Page>;
}

