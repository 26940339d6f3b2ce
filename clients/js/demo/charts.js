// Small SVG charts for the dashboard, drawn with attributes only (the page's policy allows no
// inline styles): a line chart over time and a bar chart over labels.

const SVG = 'http://www.w3.org/2000/svg';
const W = 400;
const H = 140;
const PAD = { left: 44, right: 8, top: 8, bottom: 18 };
export const COLORS = ['#1f77b4', '#d62728', '#2ca02c', '#9467bd', '#ff7f0e', '#17becf', '#8c564b', '#e377c2'];

function el(name, attrs = {}, text) {
  const node = document.createElementNS(SVG, name);
  for (const [k, v] of Object.entries(attrs)) {
    node.setAttribute(k, String(v));
  }
  if (text !== undefined) {
    node.textContent = text;
  }
  return node;
}

/** A round upper bound for the y axis, so labels read well. */
export function niceMax(value) {
  if (!(value > 0)) {
    return 1;
  }
  const magnitude = 10 ** Math.floor(Math.log10(value));
  const step = [1, 2, 2.5, 5, 10].find((s) => s * magnitude >= value);
  return step * magnitude;
}

function format(value) {
  if (value >= 1000) {
    return `${(value / 1000).toFixed(value >= 10_000 ? 0 : 1)}k`;
  }
  return Number.isInteger(value) ? String(value) : value.toFixed(value < 10 ? 2 : 1);
}

function frame(svg, max) {
  svg.setAttribute('viewBox', `0 0 ${W} ${H}`);
  svg.setAttribute('preserveAspectRatio', 'none');
  const y = (v) => PAD.top + (H - PAD.top - PAD.bottom) * (1 - v / max);
  const parts = [];
  for (const v of [0, max / 2, max]) {
    parts.push(el('line', { x1: PAD.left, x2: W - PAD.right, y1: y(v), y2: y(v), stroke: '#e3e3e3', 'stroke-width': 1 }));
    parts.push(el('text', { x: PAD.left - 4, y: y(v) + 4, 'text-anchor': 'end', 'font-size': 10, fill: '#6b6b70' }, format(v)));
  }
  return { y, parts };
}

/**
 * Draws `series` ([{name, color, values}], values oldest first, null for a missing point) over
 * `capacity` slots, newest at the right.
 */
export function lineChart(svg, series, capacity) {
  const max = niceMax(Math.max(0, ...series.flatMap((s) => s.values.filter((v) => v !== null && Number.isFinite(v)))));
  const { y, parts } = frame(svg, max);
  const x = (i, n) => W - PAD.right - (W - PAD.left - PAD.right) * ((n - 1 - i) / Math.max(1, capacity - 1));
  for (const s of series) {
    let points = [];
    const flush = () => {
      if (points.length > 1) {
        parts.push(el('polyline', { points: points.join(' '), fill: 'none', stroke: s.color, 'stroke-width': 1.8, 'data-series': s.name }));
      } else if (points.length === 1) {
        const [px, py] = points[0].split(',');
        parts.push(el('circle', { cx: px, cy: py, r: 2, fill: s.color, 'data-series': s.name }));
      }
      points = [];
    };
    s.values.forEach((v, i) => {
      if (v === null || !Number.isFinite(v)) {
        flush();
      } else {
        points.push(`${x(i, s.values.length).toFixed(1)},${y(v).toFixed(1)}`);
      }
    });
    flush();
  }
  svg.replaceChildren(...parts);
}

/** Draws one bar per label ([{label, value}]). */
export function barChart(svg, bars, color = COLORS[0]) {
  const max = niceMax(Math.max(0, ...bars.map((b) => b.value)));
  const { y, parts } = frame(svg, max);
  const width = (W - PAD.left - PAD.right) / Math.max(1, bars.length);
  bars.forEach((b, i) => {
    const x = PAD.left + i * width;
    parts.push(el('rect', { x: x + 1, y: y(b.value), width: Math.max(1, width - 2), height: y(0) - y(b.value), fill: color, 'data-label': b.label }));
    if (bars.length <= 32) {
      parts.push(el('text', { x: x + width / 2, y: H - 4, 'text-anchor': 'middle', 'font-size': 9, fill: '#6b6b70' }, b.label));
    }
  });
  svg.replaceChildren(...parts);
}
