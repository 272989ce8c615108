import { Page } from '../ui.jsx';

export function EndpointsPage() {
  return <Page title="EndpointsPage">Not built yet.</Page>;
}

export function EndpointPage() {
  return <Page title="EndpointPage">Not built yet.</Page>;
}

