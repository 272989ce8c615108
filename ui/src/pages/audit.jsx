import { Page } from '../ui.jsx';

export function AuditPage() {
  return <Page title="AuditPage">Not built yet.</Page>;
}

