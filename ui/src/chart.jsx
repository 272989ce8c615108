// Metric charts with uPlot: a canvas per metric, many series overlaid, 100 000 points drawn in one frame.
import { useEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

const COLORS = ['#2563eb', '#dc2626', '#16a34a', '#9333ea', '#ea580c', '#0891b2', '#be185d', '#4d7c0f', '#7c3aed'];

export const color = (i) => COLORS[i % COLORS.length];

/** The x of a point: the first key of its `x` (epoch, step) when every point has one, else its sequence number. */
export function xKey(points) {
  const first = points[0]?.x && Object.keys(points[0].x)[0];
  return first && points.every((p) => p.x && typeof p.x[first] === 'number') ? first : 'seq';
}

/** One series' points as uPlot's [xs, ys], sorted by x. */
export function columns(points, key) {
  const xs = new Float64Array(points.length);
  const ys = new Float64Array(points.length);
  let sorted = true;
  for (let i = 0; i < points.length; i++) {
    xs[i] = key === 'seq' ? points[i].seq : points[i].x[key];
    ys[i] = points[i].value;
    if (i > 0 && xs[i] < xs[i - 1]) sorted = false;
  }
  if (sorted) return [xs, ys];
  const order = Array.from(xs.keys()).sort((a, b) => xs[a] - xs[b]);
  return [Float64Array.from(order, (i) => xs[i]), Float64Array.from(order, (i) => ys[i])];
}

/** Series with different xs on one x axis (uPlot's join; the gaps left open). */
function aligned(series) {
  if (series.length === 1) return [series[0].data[0], series[0].data[1]];
  return uPlot.join(series.map((s) => s.data));
}

/**
 * A chart of series [{label, data: [xs, ys]}]. New data redraws the same chart: a zoom the user chose stays, a chart
 * not zoomed follows the new points. data-points carries how many points it draws (the browser tests read it).
 */
export function MetricChart({ title, xLabel, series, height = 220, testid }) {
  const box = useRef(null);
  const plot = useRef(null);
  const zoomed = useRef(false);
  const drawn = useRef(null);
  const labels = series.map((s) => s.label).join('\n');
  const points = series.reduce((n, s) => n + s.data[0].length, 0);

  useEffect(() => {
    const width = box.current.clientWidth || 600;
    const opts = {
      width,
      height,
      title,
      scales: { x: { time: false } },
      axes: [{ label: xLabel }, {}],
      cursor: { drag: { x: true, y: false } },
      legend: { live: true },
      series: [{ label: xLabel }, ...series.map((s, i) => ({ label: s.label, stroke: color(i), width: 1.5, spanGaps: true }))],
      hooks: {
        setSelect: [() => (zoomed.current = true)],
      },
    };
    plot.current = new uPlot(opts, aligned(series), box.current);
    drawn.current = series;
    const resize = new ResizeObserver(() => {
      const w = box.current?.clientWidth;
      if (w && plot.current && Math.abs(w - plot.current.width) > 2) plot.current.setSize({ width: w, height });
    });
    resize.observe(box.current);
    const reset = () => (zoomed.current = false);
    box.current.addEventListener('dblclick', reset);
    return () => {
      resize.disconnect();
      plot.current.destroy();
      plot.current = null;
    };
  }, [labels, title, xLabel, height]);

  useEffect(() => {
    if (plot.current && drawn.current !== series) plot.current.setData(aligned(series), !zoomed.current);
    drawn.current = series;
  }, [series]);

  return <div class="chart" ref={box} data-testid={testid} data-metric={title} data-points={points} data-series={series.length} />;
}

/**
 * Series grouped into one chart per metric name: series [{name, label, points}] with the API's points.
 */
export function MetricCharts({ series, testid = 'charts' }) {
  const byName = new Map();
  for (const s of series) {
    if (!byName.has(s.name)) byName.set(s.name, []);
    byName.get(s.name).push(s);
  }
  if (byName.size === 0) return <div class="muted empty">No metrics reported yet.</div>;
  return (
    <div class="charts" data-testid={testid}>
      {[...byName.entries()].map(([name, list]) => {
        const key = xKey(list[0].points);
        return (
          <MetricChart
            key={name}
            title={name}
            xLabel={key}
            testid="chart"
            series={list.map((s) => ({ label: s.label, data: columns(s.points, key) }))}
          />
        );
      })}
    </div>
  );
}
