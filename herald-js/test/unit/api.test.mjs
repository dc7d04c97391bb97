import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ApiClient } from '../../dist/index.js';

const GATEWAY = { host: '10.0.0.1', tcpPort: 7001, wsUrl: 'ws://10.0.0.1:7081/ws', tls: false };

/** An ApiClient whose fetch answers every login with `body` (as JSON, HTTP 200). */
function apiAnswering(body) {
  return new ApiClient('http://api.test', 1000, async () => new Response(JSON.stringify(body), { status: 200 }));
}

test("a login answer's fallback gateways are read like its gateway, in the API's order", async () => {
  const other = { host: '10.0.0.2', tcpPort: 7002, wsUrl: 'wss://10.0.0.2:7443/ws', tls: true };
  const result = await apiAnswering({
    token: 'tok',
    expiresAt: '2030-01-01T00:00:00Z',
    gateway: GATEWAY,
    fallbackGateways: [other, { host: '10.0.0.3', tcpPort: 7003, wsUrl: null, tls: false }],
  }).login('dev-1', 's');
  assert.deepEqual(result.gateway, GATEWAY);
  assert.deepEqual(result.fallbacks, [other, { host: '10.0.0.3', tcpPort: 7003, wsUrl: null, tls: false }]);
});

test('an answer without fallback gateways (an older node, or a standalone one) has none', async () => {
  for (const fallbackGateways of [undefined, [], null, 'gw2:7000', {}]) {
    const result = await apiAnswering({ token: 'tok', gateway: GATEWAY, fallbackGateways }).login('dev-1', 's');
    assert.deepEqual(result.fallbacks, [], JSON.stringify(fallbackGateways));
    assert.deepEqual(result.gateway, GATEWAY);
  }
});

test('entries that are not objects are skipped, and a long list is cut to its first 4 entries', async () => {
  const at = (n) => ({ host: `10.0.0.${n}`, tcpPort: 7000 + n, wsUrl: `ws://10.0.0.${n}:7080/ws`, tls: false });
  const result = await apiAnswering({
    token: 'tok',
    gateway: GATEWAY,
    fallbackGateways: [null, at(2), 'x', [at(9)], at(3), at(4), at(5)],
  }).login('dev-1', 's');
  assert.deepEqual(result.fallbacks, [at(2)]);
  const long = await apiAnswering({ token: 'tok', gateway: GATEWAY, fallbackGateways: [2, 3, 4, 5, 6].map(at) }).login('dev-1', 's');
  assert.deepEqual(long.fallbacks, [2, 3, 4, 5].map(at));
  const sparse = await apiAnswering({ token: 'tok', gateway: GATEWAY, fallbackGateways: [{ wsUrl: '' }] }).login('dev-1', 's');
  assert.deepEqual(sparse.fallbacks, [{ host: null, tcpPort: 0, wsUrl: null, tls: false }]);
});

test('a gateway that is not a JSON object (an array, null, a string) is refused, as the Java SDK does', async () => {
  for (const gateway of [[GATEWAY], null, 'gw1:7000']) {
    await assert.rejects(apiAnswering({ token: 'tok', gateway }).login('dev-1', 's'), /lacks token or gateway/,
      JSON.stringify(gateway));
  }
});
