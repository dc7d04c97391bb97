import { call, describe } from '../api';
import { h, replaceChildren, since } from '../dom';

const POLL_MILLIS = 5000;

interface DeviceStatus {
  clientId: string;
  registeredAt: string;
  online: boolean;
  connectedAt: string | null;
  transport: string | null;
  remoteAddress: string | null;
  gateway: string | null;
  sessionId: string | null;
  pendingMessages: number;
}

interface Message {
  messageId: string;
  contentType: string;
  payload?: string;
  payloadBase64?: string;
  traceId?: string;
  sentAt: string;
  receivedAt: string;
}

interface PushAnswer {
  messageId: string;
  traceId: string;
  online: number;
  stored: number;
  dropped: number;
}

/**
 * One device: its session, pending QoS 1 messages, latest upstream messages, and the operator's actions. Every
 * action is one of the API's own endpoints (DELETE .../session, .../tokens, the device; POST /api/v1/push).
 */
export function devicePage(clientId: string): { element: HTMLElement; stop: () => void } {
  const base = `/api/v1/devices/${encodeURIComponent(clientId)}`;
  const status = h('div', { id: 'device-status' }, h('p', { class: 'muted' }, 'Loading…'));
  const messages = h('div', { id: 'device-messages' });
  const outcome = h('p', { id: 'action-outcome', role: 'status' });

  const refresh = async () => {
    try {
      const device = await call<DeviceStatus>('GET', base);
      replaceChildren(status, statusTable(device));
    } catch (e) {
      replaceChildren(status, h('p', { class: 'error' }, describe(e)));
    }
    try {
      const latest = await call<{ messages: Message[] }>('GET', `${base}/messages?limit=20`);
      replaceChildren(messages, messageTable(latest.messages));
    } catch (e) {
      replaceChildren(messages, h('p', { class: 'error' }, describe(e)));
    }
  };

  const act = (label: string, run: () => Promise<string>, confirmation?: string) => async () => {
    if (confirmation && !window.confirm(confirmation)) {
      return;
    }
    outcome.className = '';
    outcome.textContent = `${label}…`;
    try {
      outcome.textContent = await run();
    } catch (e) {
      outcome.className = 'error';
      outcome.textContent = `${label} failed: ${describe(e)}`;
    }
    await refresh();
  };

  const kick = act('Kick', async () => {
    const answer = await call<{ kicked: boolean }>('DELETE', `${base}/session`);
    return answer.kicked ? 'Session closed.' : 'The device was not connected.';
  });
  const revoke = act('Revoke tokens', async () => {
    await call('DELETE', `${base}/tokens`);
    return 'Tokens revoked; the device must log in again with its secret.';
  }, `Revoke every token of ${clientId}? Its session is closed too.`);
  const remove = act('Delete', async () => {
    await call('DELETE', base);
    window.setTimeout(() => { location.hash = '#/devices'; }, 1500);
    return 'Device deleted.';
  }, `Delete ${clientId}? It can no longer log in, and its pending messages are dropped.`);

  const payload = h('input', { type: 'text', id: 'push-payload', value: 'hello from the console', maxlength: '4096',
    required: true });
  const qos = h('select', { id: 'push-qos' },
    h('option', { value: '1' }, 'QoS 1 (stored until acked)'),
    h('option', { value: '0' }, 'QoS 0 (online only)'));
  const pushForm = h('form', { class: 'toolbar', id: 'push-form' }, payload, qos,
    h('button', { type: 'submit' }, 'Send test push'));
  pushForm.addEventListener('submit', (event) => {
    event.preventDefault();
    void act('Push', async () => {
      const answer = await call<PushAnswer>('POST', '/api/v1/push',
        { to: clientId, contentType: 'text', payload: payload.value, qos: Number(qos.value) });
      return `Push ${answer.messageId}: ${answer.online} delivered online, ${answer.stored} stored, `
        + `${answer.dropped} dropped (trace ${answer.traceId}).`;
    })();
  });

  void refresh();
  // The session changes on its own (the device connects, is kicked, moves): follow it while the page is shown.
  const timer = window.setInterval(() => void refresh(), POLL_MILLIS);
  const element = h('section', { id: 'page-device' },
    h('p', {}, h('a', { href: '#/devices' }, '← Devices')),
    h('h1', {}, 'Device ', h('code', {}, clientId)),
    status,
    h('h2', {}, 'Actions'),
    h('div', { class: 'toolbar' },
      h('button', { type: 'button', id: 'action-kick', onclick: kick }, 'Kick'),
      h('button', { type: 'button', id: 'action-revoke', onclick: revoke }, 'Revoke tokens'),
      h('button', { type: 'button', id: 'action-delete', class: 'danger', onclick: remove }, 'Delete'),
      h('button', { type: 'button', id: 'action-refresh', onclick: () => void refresh() }, 'Refresh')),
    pushForm,
    outcome,
    h('h2', {}, 'Latest upstream messages'),
    messages);
  return { element, stop: () => window.clearInterval(timer) };
}

function statusTable(d: DeviceStatus): HTMLElement {
  const row = (label: string, value: Node | string) => h('tr', {}, h('th', {}, label), h('td', {}, value));
  return h('table', { class: 'facts' }, h('tbody', {},
    row('State', h('span', { class: `status ${d.online ? 'ok' : 'off'}`, id: 'device-state' },
      d.online ? 'online' : 'offline')),
    row('Transport', d.transport ?? '–'),
    row('Address', d.remoteAddress ?? '–'),
    row('Gateway', d.gateway ?? '–'),
    row('Connected since', d.connectedAt ? `${d.connectedAt} (${since(d.connectedAt)})` : '–'),
    row('Pending QoS 1 messages', h('span', { id: 'device-pending' }, String(d.pendingMessages))),
    row('Registered', d.registeredAt)));
}

function messageTable(messages: Message[]): HTMLElement {
  if (messages.length === 0) {
    return h('p', { class: 'muted' }, 'No upstream messages archived for this device.');
  }
  return h('table', { class: 'messages' },
    h('thead', {}, h('tr', {}, ...['Message id', 'Type', 'Payload', 'Sent', 'Received']
      .map((label) => h('th', {}, label)))),
    h('tbody', {}, ...messages.map((m) => h('tr', {},
      h('td', {}, m.messageId),
      h('td', {}, m.contentType),
      h('td', { class: 'payload' }, m.payload ?? `base64: ${m.payloadBase64}`),
      h('td', { title: m.sentAt }, since(m.sentAt)),
      h('td', { title: m.receivedAt }, since(m.receivedAt))))));
}
