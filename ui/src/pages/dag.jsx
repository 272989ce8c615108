// A run's steps as a graph: columns by depth (a step right of every step it needs), edges from the spec's needs and
// from the inputs the record says came from another step; a matrix step's combinations each a node.
import yaml from 'js-yaml';
import { useMemo } from 'preact/hooks';

const W = 180;
const H = 34;
const GAP_X = 56;
const GAP_Y = 12;
const PAD = 8;

const base = (name) => name.replace(/\[.*$/, '');

/** needs by step name: the spec's (by base name, so a matrix step's combinations each need them) and the inputs'. */
export function dependencies(steps, spec, inputs) {
  const needsOfBase = new Map();
  try {
    for (const s of yaml.load(spec ?? '')?.steps ?? []) {
      if (s?.name) needsOfBase.set(String(s.name), (s.needs ?? []).map(String));
    }
  } catch {
    // a spec the browser cannot read: the inputs alone draw the edges
  }
  const names = steps.map((s) => s.name);
  const deps = new Map(names.map((n) => [n, new Set()]));
  for (const n of names) {
    for (const b of needsOfBase.get(base(n)) ?? []) {
      for (const m of names) if (base(m) === b && m !== n) deps.get(n).add(m);
    }
  }
  for (const i of inputs ?? []) {
    for (const f of i.files ?? []) {
      const from = f.source?.startsWith('step:') ? f.source.slice(5) : null;
      if (from && deps.has(i.step) && deps.has(from) && from !== i.step) deps.get(i.step).add(from);
    }
  }
  return deps;
}

export function layout(steps, deps) {
  const depth = new Map();
  const visit = (n, seen = new Set()) => {
    if (depth.has(n)) return depth.get(n);
    if (seen.has(n)) return 0;
    seen.add(n);
    let d = 0;
    for (const m of deps.get(n) ?? []) d = Math.max(d, visit(m, seen) + 1);
    depth.set(n, d);
    return d;
  };
  steps.forEach((s) => visit(s.name));
  const columns = [];
  for (const s of steps) {
    const d = depth.get(s.name);
    (columns[d] ??= []).push(s);
  }
  const pos = new Map();
  const tallest = Math.max(...columns.map((c) => c?.length ?? 0));
  columns.forEach((col, d) => {
    const offset = ((tallest - col.length) * (H + GAP_Y)) / 2;
    col.forEach((s, i) => pos.set(s.name, { x: PAD + d * (W + GAP_X), y: PAD + offset + i * (H + GAP_Y) }));
  });
  return { pos, width: PAD * 2 + columns.length * (W + GAP_X) - GAP_X, height: PAD * 2 + tallest * (H + GAP_Y) - GAP_Y };
}

export function Dag({ steps, spec, inputs, selected, onSelect }) {
  const deps = useMemo(() => dependencies(steps, spec, inputs), [steps.map((s) => s.name).join('\n'), spec, inputs]);
  const { pos, width, height } = layout(steps, deps);
  if (!steps.length) return <div class="muted">No steps.</div>;
  return (
    <div class="dag-wrap">
      <svg class="dag" width={width} height={height} viewBox={`0 0 ${width} ${height}`} data-testid="dag" role="img" aria-label="the run's steps">
        {steps.flatMap((s) =>
          [...(deps.get(s.name) ?? [])].map((from) => {
            const a = pos.get(from);
            const b = pos.get(s.name);
            const x1 = a.x + W;
            const y1 = a.y + H / 2;
            const x2 = b.x;
            const y2 = b.y + H / 2;
            const mid = (x1 + x2) / 2;
            return <path key={`${from}->${s.name}`} class="edge" d={`M${x1},${y1} C${mid},${y1} ${mid},${y2} ${x2},${y2}`} />;
          }),
        )}
        {steps.map((s) => {
          const p = pos.get(s.name);
          const last = s.attempts.at(-1);
          return (
            <g
              key={s.name}
              class={`node status-${s.status.toLowerCase()}${selected === s.name ? ' selected' : ''}`}
              transform={`translate(${p.x},${p.y})`}
              onClick={() => onSelect(s.name)}
              data-step={s.name}
              data-status={s.status}
              role="button"
              tabIndex={0}
              onKeyDown={(e) => e.key === 'Enter' && onSelect(s.name)}
            >
              <title>{`${s.name}: ${s.status}${s.reason ? ` (${s.reason})` : ''}${last ? `, attempt ${last.number} on ${last.worker}` : ''}`}</title>
              <rect width={W} height={H} rx="6" />
              <circle class="state" cx="14" cy={H / 2} r="5" />
              <text x="26" y={H / 2 + 4}>
                {s.name.length > 22 ? `${s.name.slice(0, 21)}…` : s.name}
              </text>
              {s.attempts.length > 1 && (
                <text class="tries" x={W - 8} y={H / 2 + 4} text-anchor="end">
                  ×{s.attempts.length}
                </text>
              )}
            </g>
          );
        })}
      </svg>
    </div>
  );
}
