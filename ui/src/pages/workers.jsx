// Workers and pools: who serves which pool, how full they are, what runs where; a drain for admins.
import { api, seg } from '../api.js';
import { useMe } from '../context.js';
import { ActionButton, bytes, Link, Loaded, Page, Section, Status, Table, Time, useLoad } from '../ui.jsx';
import './ops.css';

/** used of total as a bar and "used / total". */
export function Meter({ used, total, testid }) {
  const share = total > 0 ? Math.min(1, used / total) : 0;
  return (
    <span class="meter" data-testid={testid} title={`${used} of ${total} in use`}>
      <span class="meter-bar">
        <span class={share >= 1 ? 'meter-fill full' : 'meter-fill'} style={{ width: `${share * 100}%` }} />
      </span>
      <span class="meter-text">
        {used} / {total}
      </span>
    </span>
  );
}

export function Chips({ items, kind }) {
  if (!items?.length) return <span class="muted">–</span>;
  return (
    <span class="chips">
      {items.map((x, i) => (
        <span key={i} class={kind ? `chip ${kind}` : 'chip'}>
          {x}
        </span>
      ))}
    </span>
  );
}

function gpuLabel(g) {
  if (typeof g === 'string') return g;
  return [g.index !== undefined ? `#${g.index}` : null, g.name ?? g.model, g.memoryBytes ? bytes(g.memoryBytes) : null]
    .filter(Boolean)
    .join(' ') || JSON.stringify(g);
}

function Running({ items }) {
  if (!items?.length) return <span class="muted">idle</span>;
  return (
    <div class="running-list">
      {items.map((r) => (
        <span key={`${r.runId}/${r.step}/${r.attempt}`}>
          <Link to={['runs', r.runId]} data-testid="running-run">
            {r.runId.slice(0, 13)}…
          </Link>{' '}
          <span class="step">
            {r.step}
            {r.attempt ? ` #${r.attempt}` : ''}
          </span>
        </span>
      ))}
    </div>
  );
}

export function WorkersPage() {
  const { me } = useMe();
  const admin = !!me?.user?.admin;
  const state = useLoad(
    async () => {
      const [pools, workers] = await Promise.all([api('/pools'), api('/workers')]);
      return { pools: pools.items, workers: workers.items };
    },
    [],
    { poll: 3000 },
  );
  const d = state.data;
  const online = d?.workers.filter((w) => w.status === 'ONLINE').length ?? 0;
  const slots = d?.workers.reduce((n, w) => n + (w.status === 'OFFLINE' ? 0 : w.slots), 0) ?? 0;
  const used = d?.workers.reduce((n, w) => n + (w.usedSlots ?? 0), 0) ?? 0;
  const backlog = d?.pools.reduce((n, p) => n + (p.backlog ?? 0), 0) ?? 0;
  return (
    <Page title="Workers & pools" subtitle="The machines that run steps and serve endpoints, refreshed every 3 seconds">
      <Loaded state={state}>
        {(data) => (
          <>
            <div class="stats" data-testid="worker-stats">
              <div class="stat">
                <div class="value">
                  {online} / {data.workers.length}
                </div>
                <div class="label">workers online</div>
              </div>
              <div class="stat">
                <div class="value">
                  {used} / {slots}
                </div>
                <div class="label">slots in use</div>
              </div>
              <div class="stat">
                <div class="value">{data.pools.length}</div>
                <div class="label">pools</div>
              </div>
              <div class="stat">
                <div class="value">{backlog}</div>
                <div class="label">steps waiting</div>
              </div>
            </div>
            <Section title="Pools">
              {data.pools.length === 0 ? (
                <div class="muted empty">No pools: no worker has registered yet.</div>
              ) : (
                <Table
                  testid="pools"
                  rowKey={(p) => p.name}
                  rows={data.pools}
                  columns={[
                    { title: 'Pool', cell: (p) => <strong data-testid="pool-name">{p.name}</strong> },
                    { title: 'Workers online', class: 'num', cell: (p) => p.workersOnline },
                    { title: 'Slots', cell: (p) => <Meter used={p.usedSlots} total={p.slots} /> },
                    { title: 'GPUs', class: 'num', cell: (p) => p.gpus ?? 0 },
                    {
                      title: 'Backlog',
                      class: 'num',
                      cell: (p) => <span class={p.backlog > 0 ? 'result-warn' : ''}>{p.backlog ?? 0}</span>,
                    },
                    {
                      title: 'Projects',
                      class: 'wrap',
                      cell: (p) => (p.projects?.length ? <Chips items={p.projects} /> : <span class="muted">every project</span>),
                    },
                  ]}
                />
              )}
            </Section>
            <Section title="Workers">
              {data.workers.length === 0 ? (
                <div class="muted empty">No worker has registered. Start one with `baton worker`.</div>
              ) : (
                <Table
                  testid="workers"
                  rowKey={(w) => w.name}
                  rows={data.workers}
                  columns={[
                    {
                      title: 'Worker',
                      cell: (w) => (
                        <span data-testid="worker-name" title={[w.os, w.pythonVersion && `Python ${w.pythonVersion}`, w.batonVersion && `Baton ${w.batonVersion}`].filter(Boolean).join('\n')}>
                          <strong>{w.name}</strong>
                          <div class="muted small">{w.batonVersion}</div>
                        </span>
                      ),
                    },
                    {
                      title: 'Status',
                      cell: (w) => (
                        <span data-testid="worker-status" data-worker={w.name}>
                          <Status value={w.status} />
                        </span>
                      ),
                    },
                    { title: 'Pools', cell: (w) => <Chips items={w.pools} /> },
                    { title: 'CPUs', class: 'num', cell: (w) => w.cpus },
                    { title: 'Memory', class: 'num', cell: (w) => bytes(w.memoryBytes) },
                    {
                      title: 'GPUs',
                      class: 'wrap',
                      cell: (w) =>
                        w.gpus?.length ? (
                          <span title={w.cudaDriverVersion ? `CUDA driver ${w.cudaDriverVersion}` : ''}>
                            <Chips kind="gpu" items={w.gpus.map(gpuLabel)} />
                          </span>
                        ) : (
                          <span class="muted">none</span>
                        ),
                    },
                    { title: 'Slots', cell: (w) => <Meter used={w.usedSlots} total={w.slots} /> },
                    { title: 'Last heartbeat', cell: (w) => <Time iso={w.lastHeartbeatAt} /> },
                    { title: 'Running', class: 'wrap', cell: (w) => <Running items={w.running} /> },
                    ...(admin
                      ? [
                          {
                            title: '',
                            cell: (w) =>
                              w.status === 'ONLINE' && !w.drainRequested ? (
                                <ActionButton
                                  kind="danger"
                                  data-testid="drain"
                                  confirm={`Drain worker ${w.name}? It takes no new steps, lets its running steps finish, then exits.`}
                                  action={async () => {
                                    await api(`/workers/${seg(w.name)}/drain`, { method: 'POST' });
                                    await state.reload();
                                  }}
                                >
                                  Drain
                                </ActionButton>
                              ) : w.drainRequested || w.draining ? (
                                <span class="muted small">draining</span>
                              ) : null,
                          },
                        ]
                      : []),
                  ]}
                />
              )}
            </Section>
          </>
        )}
      </Loaded>
    </Page>
  );
}
