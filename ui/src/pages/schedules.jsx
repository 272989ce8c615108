// Schedules: a registered pipeline run on a cron, an interval or each new version of a dataset; pause, unpause,
// trigger now.
import { useState } from 'preact/hooks';
import { api, seg } from '../api.js';
import { can, useMe, useProject } from '../context.js';
import { navigate } from '../router.js';
import { ActionButton, KeyValues, Link, Loaded, Page, Section, Status, Table, Time, useLoad } from '../ui.jsx';
import './ops.css';

/** What fires it: the cron (with its time zone), the interval or the dataset. */
export function trigger(s) {
  if (s.cron) return `cron ${s.cron}${s.timezone ? ` (${s.timezone})` : ''}`;
  if (s.every) return `every ${s.every}`;
  if (s.onDataset) return `on new versions of ${s.onDataset}`;
  return '–';
}

const scheduleState = (s) => (s.paused ? 'PAUSED' : 'ACTIVE');

function NextFires({ times, max = 3 }) {
  if (!times?.length) return <span class="muted">{'–'}</span>;
  return (
    <span class="fires" data-testid="next-fires">
      {times.slice(0, max).map((t) => (
        <span key={t} data-testid="next-fire">
          <span class="mono">{t.replace('T', ' ').replace(/:00(\.0+)?Z$/, ' UTC').replace(/Z$/, ' UTC')}</span>{' '}
          <span class="when">
            <Time iso={t} />
          </span>
        </span>
      ))}
    </span>
  );
}

/** The latest runs as status badges, each a link to its run (newest first). */
function RecentRuns({ runs, max }) {
  if (!runs?.length) return <span class="muted">none yet</span>;
  return (
    <span class="chips">
      {runs.slice(0, max).map((r) => (
        <Link key={r.runId} to={['runs', r.runId]} data-testid="schedule-run" title={`run ${r.runId}, scheduled ${r.scheduledAt ?? ''}`}>
          <Status value={r.status} />
        </Link>
      ))}
    </span>
  );
}

const path = (s, verb) => `/schedules/${seg(s.name)}${verb ? `/${verb}` : ''}`;

/** Pause or Unpause, and Trigger now; onChange(schedule or null) after each. */
function ScheduleActions({ s, onChange, onRun }) {
  const params = { project: s.project };
  return (
    <>
      {s.paused ? (
        <ActionButton
          data-testid="unpause"
          kind="primary"
          action={async () => onChange(await api(path(s, 'unpause'), { method: 'POST', params, body: {} }))}
        >
          Unpause
        </ActionButton>
      ) : (
        <ActionButton data-testid="pause" action={async () => onChange(await api(path(s, 'pause'), { method: 'POST', params, body: {} }))}>
          Pause
        </ActionButton>
      )}
      <ActionButton
        data-testid="trigger"
        confirm={`Start a run of ${s.pipeline} now from schedule ${s.name}?`}
        action={async () => {
          const run = await api(path(s, 'trigger'), { method: 'POST', params });
          onRun?.(run);
          onChange(null);
        }}
      >
        Trigger now
      </ActionButton>
    </>
  );
}

function Triggered({ run }) {
  if (!run) return null;
  return (
    <div class="notice info" data-testid="triggered">
      {run.id ? (
        <>
          Started run{' '}
          <Link to={['runs', run.id]} class="mono">
            {run.id}
          </Link>
          .
        </>
      ) : (
        run.message ?? 'The run was asked for; it is not recorded yet.'
      )}
    </div>
  );
}

export function SchedulesPage({ route }) {
  const project = useProject(route);
  const { me } = useMe();
  const write = can(me, project, 'write');
  const [run, setRun] = useState(null);
  const state = useLoad(() => api('/schedules', { params: { project } }), [project], { poll: 15000 });
  return (
    <Page title="Schedules" subtitle={`Pipelines run on a cron, an interval or new data, in project ${project}`}>
      <Triggered run={run} />
      <Section>
        <Loaded state={state} empty={`Project ${project} has no schedules. Create one with \`baton schedules create\`.`}>
          {(data) => (
            <Table
              testid="schedules"
              rowKey={(s) => s.name}
              rowClass={() => 'schedule-row'}
              rows={data.items}
              columns={[
                {
                  title: 'Schedule',
                  cell: (s) => (
                    <span data-testid="schedule" data-name={s.name} data-state={scheduleState(s)}>
                      <Link to={['schedules', s.name]} params={{ project: s.project }}>
                        <strong>{s.name}</strong>
                      </Link>
                      {s.note && <div class="muted small">{s.note}</div>}
                    </span>
                  ),
                },
                {
                  title: 'Pipeline',
                  cell: (s) => (
                    <Link to={['pipelines', s.pipeline]} params={{ project: s.project }}>
                      {s.pipeline}
                      {s.pipelineVersion ? ` v${s.pipelineVersion}` : ''}
                    </Link>
                  ),
                },
                { title: 'Trigger', cell: (s) => <span class="code-line mono">{trigger(s)}</span> },
                {
                  title: 'State',
                  cell: (s) => (
                    <span data-testid="schedule-state">
                      <Status value={scheduleState(s)} />
                      {s.lastProblem && (
                        <div class="result-bad small" title={s.lastProblem.message}>
                          problem <Time iso={s.lastProblem.at} />
                        </div>
                      )}
                    </span>
                  ),
                },
                { title: 'Next fires', cell: (s) => <NextFires times={s.nextRunTimes} max={3} /> },
                { title: 'Recent runs', cell: (s) => <RecentRuns runs={s.recentRuns} max={3} /> },
                ...(write
                  ? [
                      {
                        title: '',
                        cell: (s) => (
                          <span class="actions nowrap">
                            <ScheduleActions s={s} onRun={setRun} onChange={() => state.reload()} />
                          </span>
                        ),
                      },
                    ]
                  : []),
              ]}
            />
          )}
        </Loaded>
      </Section>
    </Page>
  );
}

export function SchedulePage({ route }) {
  const name = route.parts[1];
  const project = useProject(route);
  const { me } = useMe();
  const write = can(me, project, 'write');
  const [run, setRun] = useState(null);
  const state = useLoad(() => api(`/schedules/${seg(name)}`, { params: { project } }), [name, project], { poll: 15000 });
  const s = state.data;
  return (
    <Page
      title={
        <>
          {name} {s && <Status value={scheduleState(s)} />}
        </>
      }
      subtitle={
        <>
          Schedule in project <Link to={['schedules']} params={{ project }}>{project}</Link>
          {s ? ` · runs ${s.pipeline}` : ''}
        </>
      }
      actions={
        s &&
        write && (
          <>
            <ScheduleActions s={s} onRun={setRun} onChange={() => state.reload()} />
            <ActionButton
              kind="danger"
              data-testid="delete-schedule"
              confirm={`Delete schedule ${name}? Its runs stay.`}
              action={async () => {
                await api(`/schedules/${seg(name)}`, { method: 'DELETE', params: { project } });
                navigate(['schedules'], { project });
              }}
            >
              Delete
            </ActionButton>
          </>
        )
      }
    >
      <Triggered run={run} />
      <Loaded state={state}>
        {(d) => (
          <div data-testid="schedule-page" data-state={scheduleState(d)}>
            {d.lastProblem && (
              <div class="notice bad">
                Last problem (<Time iso={d.lastProblem.at} />): {d.lastProblem.message}
              </div>
            )}
            <div class="grid-2">
              <Section title="Definition">
                <KeyValues
                  entries={[
                    [
                      'Pipeline',
                      <Link key="p" to={['pipelines', d.pipeline]} params={{ project: d.project }}>
                        {d.pipeline}
                        {d.pipelineVersion ? ` v${d.pipelineVersion}` : ' (latest version)'}
                      </Link>,
                    ],
                    ['Trigger', <span key="t" class="code-line mono">{trigger(d)}</span>],
                    ...(d.jitter ? [['Jitter', d.jitter]] : []),
                    ['Overlap', d.overlap],
                    ...(d.catchupWindow ? [['Catch-up window', d.catchupWindow]] : []),
                    ...(d.bundle ? [['Bundle', <span key="b" class="mono">{d.bundle.slice(0, 16)}…</span>]] : []),
                    ['Parameters', <span key="pa" class="mono">{JSON.stringify(d.parameters ?? {})}</span>],
                    ...(d.lastDatasetVersion ? [['Last dataset version', d.lastDatasetVersion]] : []),
                    ['Note', d.note || <span key="n" class="muted">–</span>],
                    ['Created', <span key="c">{d.createdBy}, <Time iso={d.createdAt} /></span>],
                    ...(d.updatedAt ? [['Updated', <Time key="u" iso={d.updatedAt} />]] : []),
                  ]}
                />
              </Section>
              <Section title={d.paused ? 'Next fires (once unpaused)' : 'Next fires'}>
                <NextFires times={d.nextRunTimes} max={10} />
              </Section>
            </div>
            <Section title="Recent runs">
              {d.recentRuns?.length ? (
                <Table
                  testid="schedule-runs"
                  rowKey={(r) => r.runId}
                  rows={d.recentRuns}
                  columns={[
                    {
                      title: 'Run',
                      cell: (r) => (
                        <Link to={['runs', r.runId]} class="mono" data-testid="schedule-run">
                          {r.runId}
                        </Link>
                      ),
                    },
                    { title: 'Status', cell: (r) => <Status value={r.status} /> },
                    { title: 'Scheduled', cell: (r) => <Time iso={r.scheduledAt} /> },
                  ]}
                />
              ) : (
                <div class="muted empty">No run yet.</div>
              )}
            </Section>
          </div>
        )}
      </Loaded>
    </Page>
  );
}
