// A small SVG line chart of one series over the last minutes; gaps (null) where the node had no figure.
import { h, since } from './dom';

const SVG = 'http://www.w3.org/2000/svg';
const WIDTH = 320;
const HEIGHT = 90;

export interface Point {
  at: number;
  value: number | null;
}

function svg(tag: string, attributes: Record<string, string>): SVGElement {
  const element = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attributes)) {
    element.setAttribute(name, value);
  }
  return element;
}

export function lineChart(title: string, unit: string, points: Point[], windowSeconds: number): HTMLElement {
  const known = points.filter((p) => p.value !== null) as { at: number; value: number }[];
  const latest = known.length ? known[known.length - 1].value : null;
  const max = Math.max(1, ...known.map((p) => p.value));
  const end = points.length ? points[points.length - 1].at : Date.now();
  // A node up for less than the window has less history: spread what there is over the width.
  const start = points.length > 1 ? Math.max(points[0].at, end - windowSeconds * 1000) : end - windowSeconds * 1000;
  const span = Math.max(1, end - start);
  const x = (at: number) => ((at - start) / span) * WIDTH;
  const y = (value: number) => HEIGHT - 4 - (value / max) * (HEIGHT - 8);

  const chart = svg('svg', { viewBox: `0 0 ${WIDTH} ${HEIGHT}`, class: 'chart-plot', role: 'img',
    preserveAspectRatio: 'none' });
  chart.setAttribute('aria-label', `${title} over the last ${Math.round(windowSeconds / 60)} minutes`);
  let path = '';
  let pen = false;
  for (const point of points) {
    if (point.value === null) {
      pen = false;
      continue;
    }
    path += `${pen ? 'L' : 'M'}${x(point.at).toFixed(1)},${y(point.value).toFixed(1)}`;
    pen = true;
  }
  chart.appendChild(svg('line', { x1: '0', x2: `${WIDTH}`, y1: `${HEIGHT - 4}`, y2: `${HEIGHT - 4}`, class: 'axis' }));
  if (path) {
    chart.appendChild(svg('path', { d: path, class: 'series' }));
  }
  const shown = latest === null ? (points.length ? 'not seen by this node' : 'waiting for data')
    : `${latest.toLocaleString('en', { maximumFractionDigits: 1 })} ${unit}`;
  return h('figure', { class: 'chart', 'data-chart': title },
    h('figcaption', {}, h('span', {}, title), h('strong', { class: 'chart-latest' }, shown)),
    chart,
    h('div', { class: 'chart-scale' }, h('span', {}, points.length > 1 ? since(new Date(start).toISOString()) : ''),
      h('span', {}, `max ${max.toLocaleString('en', { maximumFractionDigits: 1 })}`)));
}
