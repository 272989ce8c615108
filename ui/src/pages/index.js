// Which page shows a route: #/SECTION[/NAME...]. Each section's pages live in a file of their own.
import { AuditPage } from './audit.jsx';
import { ComparePage } from './compare.jsx';
import { DatasetPage, DatasetsPage } from './datasets.jsx';
import { EndpointPage, EndpointsPage } from './endpoints.jsx';
import { ModelPage, ModelsPage } from './models.jsx';
import { NotFound } from './notfound.jsx';
import { PipelinePage, PipelinesPage } from './pipelines.jsx';
import { RunPage } from './run.jsx';
import { RunsPage } from './runs.jsx';
import { SchedulePage, SchedulesPage } from './schedules.jsx';
import { TokensPage } from './tokens.jsx';
import { WorkersPage } from './workers.jsx';

/** The navigation: [section, label]. */
export const NAV = [
  ['runs', 'Runs'],
  ['compare', 'Compare'],
  ['pipelines', 'Pipelines'],
  ['datasets', 'Datasets'],
  ['models', 'Models'],
  ['workers', 'Workers & pools'],
  ['schedules', 'Schedules'],
  ['endpoints', 'Endpoints'],
  ['audit', 'Audit'],
  ['tokens', 'Tokens'],
];

const PAGES = {
  runs: [RunsPage, RunPage],
  compare: [ComparePage, ComparePage],
  pipelines: [PipelinesPage, PipelinePage],
  datasets: [DatasetsPage, DatasetPage],
  models: [ModelsPage, ModelPage],
  workers: [WorkersPage, WorkersPage],
  schedules: [SchedulesPage, SchedulePage],
  endpoints: [EndpointsPage, EndpointPage],
  audit: [AuditPage, AuditPage],
  tokens: [TokensPage, TokensPage],
};

/** The page of a route: the section's list without a name, its object's page with one. */
export function pageFor(route) {
  const [section, name] = route.parts;
  const pages = PAGES[section ?? 'runs'];
  if (!pages) return { Page: NotFound, section: null };
  return { Page: name === undefined ? pages[0] : pages[1], section: section ?? 'runs' };
}
