// A run's steps drawn as a graph (dagLayout.js places them): a node per step with its state, edges to what it needs.
import { useMemo } from 'preact/hooks';
import { dependencies, H, layout, W } from './dagLayout.js';

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
