import { call, describe } from '../api';
import { lineChart, type Point } from '../chart';
import { formatNumber, h, replaceChildren, since } from '../dom';

interface NodeJson {
  role: string;
  id: string;
  address: string | null;
  connections: number | null;
  startedAt: string | null;
  status: string;
  checks: Record<string, string>;
}

interface Sample {
  at: string;
  connections: number | null;
  pushesPerSecond: number | null;
  deliveriesPerSecond: number | null;
  upstreamPerSecond: number | null;
}

interface Overview {
  node: { role: string; id: string };
  devicesOnline: number;
  nodes: NodeJson[];
  samples: { intervalSeconds: number; windowSeconds: number; points: Sample[] };
}

const POLL_MILLIS = 5000;

/** Every node the API can see and live charts; polls while shown, stops when the page is left. */
export function overviewPage(): { element: HTMLElement; stop: () => void } {
  const body = h('div', { class: 'overview' }, h('p', { class: 'muted' }, 'Loading…'));
  const element = h('section', { id: 'page-overview' }, h('h1', {}, 'Overview'), body);
  let timer: number | undefined;
  let stopped = false;

  const refresh = async () => {
    try {
      render(body, await call<Overview>('GET', '/console/api/overview'));
    } catch (e) {
      replaceChildren(body, h('p', { class: 'error' }, describe(e)));
    }
    if (!stopped) {
      timer = window.setTimeout(refresh, POLL_MILLIS);
    }
  };
  void refresh();
  return { element, stop: () => { stopped = true; window.clearTimeout(timer); } };
}

function render(body: HTMLElement, overview: Overview): void {
  const gateways = overview.nodes.filter((n) => n.role !== 'api');
  const down = overview.nodes.filter((n) => n.status === 'DOWN').length;
  const points = overview.samples.points;
  const series = (pick: (s: Sample) => number | null): Point[] =>
    points.map((s) => ({ at: Date.parse(s.at), value: pick(s) }));
  const window = overview.samples.windowSeconds;
  replaceChildren(body,
    h('div', { class: 'tiles' },
      tile('Devices online', formatNumber(overview.devicesOnline), 'tile-online'),
      tile('Nodes', `${overview.nodes.length}`, 'tile-nodes'),
      tile('Device gateways', `${gateways.length}`, 'tile-gateways'),
      tile('Nodes down', `${down}`, down ? 'tile-down bad' : 'tile-down')),
    h('div', { class: 'charts' },
      lineChart('Connections', 'devices', series((s) => s.connections), window),
      lineChart('Pushes', '/s', series((s) => s.pushesPerSecond), window),
      lineChart('Deliveries', '/s', series((s) => s.deliveriesPerSecond), window),
      lineChart('Upstream', '/s', series((s) => s.upstreamPerSecond), window)),
    h('h2', {}, 'Nodes'),
    h('table', { class: 'nodes', id: 'nodes' },
      h('thead', {}, h('tr', {}, ...['Role', 'Node', 'Address', 'Connections', 'Started', 'Status', 'Checks']
        .map((label) => h('th', {}, label)))),
      h('tbody', {}, ...overview.nodes.map(nodeRow))),
    h('p', { class: 'muted' }, `Seen from ${overview.node.role} node ${overview.node.id}; charts sample every `
      + `${overview.samples.intervalSeconds} s and keep ${Math.round(window / 60)} minutes.`));
}

function tile(label: string, value: string, id: string): HTMLElement {
  return h('div', { class: `tile ${id}` }, h('span', {}, label), h('strong', { id }, value));
}

function nodeRow(node: NodeJson): HTMLElement {
  const checks = Object.entries(node.checks).map(([name, state]) =>
    h('span', { class: `check ${state === 'UP' ? 'ok' : 'bad'}` }, `${name} ${state}`));
  return h('tr', { 'data-node': node.id },
    h('td', {}, node.role),
    h('td', {}, node.id),
    h('td', {}, node.address ?? '–'),
    h('td', { class: 'number' }, formatNumber(node.connections)),
    h('td', { title: node.startedAt ?? '' }, since(node.startedAt)),
    h('td', {}, h('span', { class: `status ${node.status === 'DOWN' ? 'bad' : 'ok'}` }, node.status)),
    h('td', {}, ...checks));
}
