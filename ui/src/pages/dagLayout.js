// A run's steps as a graph, without drawing it: which steps each step needs (the spec's `needs` by base name, so that
// every combination of a matrix step needs them, and the inputs the record says came from another step) and where
// each step goes (columns by depth: a step right of every step it needs).
import yaml from 'js-yaml';

export const W = 180;
export const H = 34;
const GAP_X = 56;
const GAP_Y = 12;
const PAD = 8;

const base = (name) => name.replace(/\[.*$/, '');

/** needs by step name: the spec's (by base name, so a matrix step's combinations each need them) and the inputs'. */
export function dependencies(steps, spec, inputs) {
  const needsOfBase = new Map();
  try {
    for (const s of yaml.load(spec ?? '')?.steps ?? []) {
      if (s?.name) needsOfBase.set(String(s.name), [].concat(s.needs ?? []).map(String));
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
  const tallest = Math.max(1, ...columns.map((c) => c?.length ?? 0));
  columns.forEach((col, d) => {
    const offset = ((tallest - col.length) * (H + GAP_Y)) / 2;
    col.forEach((s, i) => pos.set(s.name, { x: PAD + d * (W + GAP_X), y: PAD + offset + i * (H + GAP_Y) }));
  });
  return { pos, width: PAD * 2 + columns.length * (W + GAP_X) - GAP_X, height: PAD * 2 + tallest * (H + GAP_Y) - GAP_Y };
}
