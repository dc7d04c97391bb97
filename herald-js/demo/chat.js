// The web chat demo: one device per page, using the SDK straight from dist/ (an ES module, no bundler).
import { HeraldClient } from '../dist/index.js';

const $ = (id) => document.getElementById(id);
const params = new URLSearchParams(location.search);
$('api').value = params.get('api') ?? `${location.protocol}//${location.hostname}:8080`;
$('me').value = params.get('me') ?? '';
$('secret').value = params.get('secret') ?? '';
$('peer').value = params.get('peer') ?? '';

let client = null;

function show(text, className, state) {
  const item = document.createElement('li');
  item.className = className;
  item.textContent = text;
  if (state) {
    item.dataset.state = state;
  }
  $('log').append(item);
  item.scrollIntoView({ block: 'nearest' });
  return item;
}

function setState(state, text) {
  $('status').dataset.state = state;
  $('status').textContent = text;
  const connected = state === 'connected';
  $('text').disabled = !client;
  $('send').disabled = !client;
  $('connect').disabled = Boolean(client);
  $('disconnect').disabled = !client;
  if (connected) {
    $('text').focus();
  }
}

$('login').addEventListener('submit', async (event) => {
  event.preventDefault();
  client = new HeraldClient({
    apiUrl: $('api').value.trim(),
    clientId: $('me').value.trim(),
    secret: $('secret').value,
    registerIfMissing: true,
    logger: console,
  });
  const current = client;
  current.on('state', (state) => setState(state, state === 'connected' ? `connected as ${$('me').value}` : state));
  current.on('message', (message) => {
    let chat;
    try {
      chat = message.json();
    } catch {
      show(`(a message that is not JSON: ${message.text()})`, 'system');
      return;
    }
    if (chat?.type === 'chat') {
      show(`${chat.from}: ${chat.text}`, 'in');
    } else {
      show(`(push: ${message.text()})`, 'system');
    }
  });
  current.on('kicked', (reason) => {
    show(`session ended by the server: ${reason || 'kicked'}`, 'system');
    client = null;
    setState('kicked', `kicked (${reason || 'no reason given'}); connect again to resume`);
  });
  current.on('error', (error) => show(error.message, 'system'));
  setState('connecting', 'connecting…');
  try {
    await current.start();
  } catch (error) {
    if (client === current) {
      client = null;
      setState('closed', `not connected: ${error.message}`);
    }
  }
});

$('disconnect').addEventListener('click', async () => {
  const current = client;
  client = null;
  await current?.close();
  setState('closed', 'disconnected');
});

$('compose').addEventListener('submit', async (event) => {
  event.preventDefault();
  const text = $('text').value;
  if (!client || text === '') {
    return;
  }
  $('text').value = '';
  const item = show(text, 'out', 'sending');
  try {
    // Resolves when the server acked it: the relay has queued it for the peer, or stored it while the peer is away.
    await client.sendJson({ type: 'chat', to: $('peer').value.trim(), text });
    item.dataset.state = 'acked';
  } catch (error) {
    item.dataset.state = 'rejected';
    item.title = error.message;
    show(`not sent: ${error.message}`, 'system');
  }
});
