import { call, describe } from '../api';
import { h, replaceChildren, since } from '../dom';

interface DeviceItem {
  clientId: string;
  registeredAt: string;
  online: boolean;
  connectedAt: string | null;
  transport: string | null;
  remoteAddress: string | null;
  gateway: string | null;
}

interface DeviceList {
  devices: DeviceItem[];
  nextCursor?: string;
}

const PAGE_SIZE = 25;

/** GET /api/v1/devices with the session: search by id prefix, filter by online state, a page at a time. */
export function devicesPage(): HTMLElement {
  const prefix = h('input', { type: 'search', id: 'device-prefix', placeholder: 'client id prefix',
    autocomplete: 'off', maxlength: '128' });
  const online = h('select', { id: 'device-online' },
    h('option', { value: '' }, 'all devices'),
    h('option', { value: 'true' }, 'online'),
    h('option', { value: 'false' }, 'offline'));
  const results = h('div', { id: 'device-results' });
  const previous = h('button', { type: 'button', id: 'device-previous', disabled: true }, '← Previous');
  const next = h('button', { type: 'button', id: 'device-next', disabled: true }, 'Next →');
  // The cursors of the pages before this one, so Previous can go back (the API pages forward only).
  const cursors: (string | undefined)[] = [];
  let current: string | undefined;
  let nextCursor: string | undefined;

  const load = async (cursor: string | undefined) => {
    const query = new URLSearchParams({ limit: String(PAGE_SIZE) });
    if (prefix.value) query.set('prefix', prefix.value);
    if (online.value) query.set('online', online.value);
    if (cursor) query.set('cursor', cursor);
    try {
      const page = await call<DeviceList>('GET', `/api/v1/devices?${query}`);
      current = cursor;
      nextCursor = page.nextCursor;
      replaceChildren(results, table(page.devices));
    } catch (e) {
      replaceChildren(results, h('p', { class: 'error' }, describe(e)));
      nextCursor = undefined;
    }
    next.disabled = !nextCursor;
    previous.disabled = cursors.length === 0;
  };
  const search = () => {
    cursors.length = 0;
    void load(undefined);
  };
  next.addEventListener('click', () => {
    cursors.push(current);
    void load(nextCursor);
  });
  previous.addEventListener('click', () => void load(cursors.pop()));
  const form = h('form', { class: 'toolbar', id: 'device-search' }, prefix, online,
    h('button', { type: 'submit' }, 'Search'));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    search();
  });
  online.addEventListener('change', search);
  search();
  return h('section', { id: 'page-devices' }, h('h1', {}, 'Devices'), form, results,
    h('div', { class: 'pager' }, previous, next));
}

function table(devices: DeviceItem[]): HTMLElement {
  if (devices.length === 0) {
    return h('p', { class: 'muted' }, 'No devices on this page.');
  }
  return h('table', { class: 'devices' },
    h('thead', {}, h('tr', {}, ...['Client id', 'State', 'Transport', 'Address', 'Gateway', 'Connected', 'Registered']
      .map((label) => h('th', {}, label)))),
    h('tbody', {}, ...devices.map((d) => h('tr', { 'data-client-id': d.clientId },
      h('td', {}, h('a', { href: `#/devices/${encodeURIComponent(d.clientId)}` }, d.clientId)),
      h('td', {}, h('span', { class: `status ${d.online ? 'ok' : 'off'}` }, d.online ? 'online' : 'offline')),
      h('td', {}, d.transport ?? '–'),
      h('td', {}, d.remoteAddress ?? '–'),
      h('td', {}, d.gateway ?? '–'),
      h('td', { title: d.connectedAt ?? '' }, since(d.connectedAt)),
      h('td', { title: d.registeredAt }, since(d.registeredAt))))));
}
