#!/usr/bin/env node
// End-to-end test of the SDK in headless Chromium against a real Herald standalone node, driven by herald-it's
// BrowserSdkTest, which owns the node. They talk over this process's stdio, one line each:
//
//   this script -> ORIGIN <url>            the demo server is up; start the node with --cors-origin <url>
//   test        -> SERVER <apiUrl> <key>   the node is up (WebSocket listener on, chat relay on)
//   this script -> RESTART                 stop the node (SIGTERM: RECONNECT notices) and start it again, same ports
//   test        -> RESTARTED               the node is up again (its API too: the gateway may take devices earlier)
//   this script -> PASS <n>                all n steps passed (exit 0); a failure exits 1 after printing why
//
// The browser loads the SDK from dist/ (npm run build) through the demo server, on another origin than the API,
// so every login crosses origins and needs the API's CORS answer.
import assert from 'node:assert/strict';
import { createInterface } from 'node:readline';
import { chromium } from 'playwright-core';
import { startDemoServer } from '../../demo/server.mjs';

const CHROMIUM = process.env.HERALD_CHROMIUM ?? '/usr/bin/chromium';
const SECRET = 'secret-0123456789';
const WAIT_MS = 20_000;

const lines = createInterface({ input: process.stdin })[Symbol.asyncIterator]();
const say = (line) => process.stdout.write(`${line}\n`);
let steps = 0;
const step = async (name, body) => {
  await body();
  steps++;
  say(`ok ${steps} - ${name}`);
};

async function nextLine(prefix) {
  const { value, done } = await lines.next();
  assert.ok(!done && value.startsWith(prefix), `expected a ${prefix} line from the test, got ${done ? 'EOF' : value}`);
  return value.split(' ').slice(1);
}

/** Polls `probe` (which may return a promise) until it returns something truthy. */
async function until(what, probe, timeoutMs = WAIT_MS) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) {
      return value;
    }
    assert.ok(Date.now() < deadline, `timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const { server: demo, url: origin } = await startDemoServer(0, '127.0.0.1');
say(`ORIGIN ${origin.replace(/\/$/, '')}`);
const [api, apiKey] = await nextLine('SERVER');

async function call(method, path, body) {
  const response = await fetch(api + path, {
    method,
    headers: { Authorization: `Bearer ${apiKey}`, 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, json: text ? JSON.parse(text) : null };
}
const device = async (id) => (await call('GET', `/api/v1/devices/${id}`)).json;
const archived = async (id) =>
  (await call('GET', `/api/v1/devices/${id}/messages?limit=100`)).json.messages.map((m) => m.payload);

const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox'] });
try {
  const context = await browser.newContext();

  // --- The SDK itself, in a page of the demo origin -------------------------------------------------------------
  const sdk = await context.newPage();
  sdk.on('pageerror', (error) => say(`# page error: ${error.message}`));
  await sdk.goto(origin);
  const inPage = (body, arg) => sdk.evaluate(body, arg);

  await step('login over CORS, then connect over the WebSocket', async () => {
    const info = await inPage(
      async ({ api, secret }) => {
        const sdk = await import('/dist/index.js');
        window.herald = { sdk, received: [], events: [], logins: 0 };
        window.newClient = () => {
          const client = new sdk.HeraldClient({
            apiUrl: api,
            clientId: 'web-sdk',
            secret,
            registerIfMissing: true,
            reconnectInitialDelayMs: 200,
            reconnectMaxDelayMs: 1000,
            fetch: (url, init) => {
              if (url.endsWith('/api/v1/login')) {
                window.herald.logins++;
              }
              return fetch(url, init);
            },
          });
          client.on('message', (m) => window.herald.received.push({ id: m.messageId.toString(), text: m.text(), qos: m.qos }));
          client.on('connected', (i) => window.herald.events.push(i.reconnect ? 'reconnected' : 'connected'));
          client.on('disconnected', () => window.herald.events.push('disconnected'));
          client.on('kicked', (reason) => window.herald.events.push(`kicked: ${reason}`));
          window.client = client;
          return client;
        };
        await window.newClient().start();
        return window.client.connectionInfo;
      },
      { api, secret: SECRET },
    );
    assert.equal(info.clientId, 'web-sdk');
    assert.match(info.url, /^ws:\/\/127\.0\.0\.1:\d+\/ws$/);
    assert.equal((await device('web-sdk')).transport, 'websocket');
  });

  await step('a QoS 1 push arrives once and is acknowledged', async () => {
    const push = await call('POST', '/api/v1/push', { to: 'web-sdk', payload: 'hello browser', qos: 1 });
    assert.equal(push.status, 202);
    assert.equal(push.json.online, 1);
    // An empty array is truthy: wait for the first message, then check it is the only one.
    const received = await until('the push in the page', () =>
      inPage(() => (window.herald.received.length > 0 ? window.herald.received : null)),
    );
    await new Promise((resolve) => setTimeout(resolve, 200));
    assert.deepEqual(await inPage(() => window.herald.received), received, 'delivered once');
    assert.deepEqual(received, [{ id: push.json.messageId, text: 'hello browser', qos: 1 }]);
    await until('the ACK (nothing pending)', async () => (await device('web-sdk')).pendingMessages === 0);
  });

  await step('an upstream message resolves on its ACK and is archived', async () => {
    const result = await inPage(() => window.client.sendText('from the browser').then((r) => r.transmissions));
    assert.equal(result, 1);
    assert.deepEqual(await archived('web-sdk'), ['from the browser']);
    const rejected = await inPage(() =>
      window.client.send('x', { contentType: window.herald.sdk.ContentType.JSON }).then(
        () => 'resolved',
        (e) => e.name,
      ),
    );
    assert.equal(rejected, 'MessageRejectedError', 'invalid JSON is REJECTED by the server: the promise rejects');
  });

  await step('kicked by the operator: no reconnect on its own; a new client gets what was stored meanwhile', async () => {
    assert.equal((await call('DELETE', '/api/v1/devices/web-sdk/session')).status, 200);
    await until('the kick', () => inPage(() => window.client.state === 'kicked'));
    assert.ok((await inPage(() => window.herald.events)).some((e) => e.startsWith('kicked: ')));
    await new Promise((resolve) => setTimeout(resolve, 1500));
    assert.equal(await inPage(() => window.client.state), 'kicked', 'still down: KICKED means no reconnect');
    assert.equal((await device('web-sdk')).online, false);
    const push = await call('POST', '/api/v1/push', { to: 'web-sdk', payload: 'while kicked', qos: 1 });
    assert.equal(push.json.stored, 1);

    await inPage(() => window.newClient().start());
    await until('the stored push', () =>
      inPage(() => window.herald.received.some((m) => m.text === 'while kicked')),
    );
  });

  await step('the node restarts: RECONNECT, reconnect with backoff, pending upstream resent', async () => {
    await inPage(() => {
      window.herald.events = [];
    });
    say('RESTART');
    await until('the drain (RECONNECT notice)', () => inPage(() => window.herald.events.includes('disconnected')), 30_000);
    // Sent while the node is down: kept, then resent after the reconnect, and resolved by its ACK there.
    await inPage(() => {
      window.pending = window.client.sendText('during the restart').then((r) => r.transmissions);
    });
    await nextLine('RESTARTED');
    await until('the reconnect', () => inPage(() => window.herald.events.includes('reconnected')), 60_000);
    assert.ok((await inPage(() => window.pending)) >= 1);
    assert.ok((await archived('web-sdk')).includes('during the restart'));
    const push = await call('POST', '/api/v1/push', { to: 'web-sdk', payload: 'after the restart', qos: 1 });
    assert.equal(push.json.online, 1);
    await until('a push after the restart', () =>
      inPage(() => window.herald.received.some((m) => m.text === 'after the restart')),
    );
    say(`# logins so far: ${await inPage(() => window.herald.logins)}`);
  });

  await step('a page of an origin the API does not allow cannot log in', async () => {
    // Another port is another origin, which the node was not told to allow.
    const { server: elsewhere, url: strangerOrigin } = await startDemoServer(0, '127.0.0.1');
    const stranger = await context.newPage();
    await stranger.goto(strangerOrigin);
    const error = await stranger.evaluate(async ({ api, secret }) => {
      const { HeraldClient } = await import('/dist/index.js');
      const client = new HeraldClient({ apiUrl: api, clientId: 'stranger', secret, registerIfMissing: true });
      const failure = new Promise((resolve) => client.on('error', (e) => resolve(e.name)));
      client.start().catch(() => undefined);
      const name = await failure;
      await client.close();
      return name;
    }, { api, secret: SECRET });
    assert.equal(error, 'ApiUnreachableError');
    assert.equal((await call('GET', '/api/v1/devices/stranger')).status, 404, 'the preflight stopped the registration');
    await stranger.close();
    elsewhere.close();
  });

  // --- The chat demo: two pages, two devices, messages through the chat relay and pushes -------------------------
  await step('two demo pages chat through the relay', async () => {
    const open = async (me, peer) => {
      const page = await context.newPage();
      page.on('pageerror', (error) => say(`# ${me} page error: ${error.message}`));
      page.on('console', (message) => say(`# ${me} console: ${message.text()}`));
      const query = new URLSearchParams({ api, me, peer, secret: SECRET });
      await page.goto(`${origin}?${query}`);
      await page.click('#connect');
      await page.waitForSelector('#status[data-state="connected"]', { timeout: WAIT_MS });
      return page;
    };
    const alice = await open('alice', 'bob');
    const bob = await open('bob', 'alice');

    await alice.fill('#text', 'hi bob');
    await alice.click('#send');
    await bob.waitForSelector('#log li.in:text("alice: hi bob")', { timeout: WAIT_MS });
    await alice.waitForSelector('#log li.out[data-state="acked"]:text("hi bob")', { timeout: WAIT_MS });

    await bob.fill('#text', 'hello alice');
    await bob.press('#text', 'Enter');
    await alice.waitForSelector('#log li.in:text("bob: hello alice")', { timeout: WAIT_MS });
  });

  await context.close();
  say(`PASS ${steps}`);
} catch (error) {
  say(`not ok ${steps + 1} - ${error.stack ?? error}`);
  process.exitCode = 1;
} finally {
  await browser.close();
  demo.close();
  lines.return?.();
  process.stdin.destroy();
}
