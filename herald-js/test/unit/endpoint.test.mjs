import { test } from 'node:test';
import assert from 'node:assert/strict';
import { NoUsableGatewayError, UpstreamIds } from '../../dist/index.js';
import { gatewayUrl, redirectedUrl } from '../../dist/endpoint.js';

const gateway = (wsUrl, tls = false) => ({ host: 'gw', tcpPort: 7000, wsUrl, tls });

test("the login answer's WebSocket URL, with TLS as the answer or the option says", () => {
  assert.equal(gatewayUrl(gateway('ws://gw:7080/ws'), 'auto'), 'ws://gw:7080/ws');
  assert.equal(gatewayUrl(gateway('ws://gw:7080/ws', true), 'auto'), 'wss://gw:7080/ws');
  assert.equal(gatewayUrl(gateway('wss://gw:7443/ws'), 'auto'), 'wss://gw:7443/ws');
  assert.equal(gatewayUrl(gateway('ws://gw:7080/ws'), 'on'), 'wss://gw:7080/ws');
  assert.equal(gatewayUrl(gateway('wss://gw:7443/ws'), 'off'), 'ws://gw:7443/ws');
  assert.throws(() => gatewayUrl(gateway(null), 'auto'), NoUsableGatewayError);
  assert.throws(() => gatewayUrl(gateway('http://gw/ws'), 'auto'), NoUsableGatewayError);
  assert.throws(() => gatewayUrl(gateway('not a url'), 'auto'), NoUsableGatewayError);
});

test('a REDIRECT keeps scheme and path and takes host:port, IPv6 in brackets included', () => {
  assert.equal(redirectedUrl('wss://gw1:7443/ws', 'gw2.example.com:7000'), 'wss://gw2.example.com:7000/ws');
  assert.equal(redirectedUrl('ws://gw1:7080/ws', '[::1]:7081'), 'ws://[::1]:7081/ws');
  assert.equal(redirectedUrl('ws://gw1:7080/ws', 'gw2:80'), 'ws://gw2/ws');
  for (const bad of ['gw2', 'gw2:', ':7000', 'gw2:7000/x', 'user@gw2:7000', '']) {
    assert.throws(() => redirectedUrl('ws://gw1:7080/ws', bad), NoUsableGatewayError, bad);
  }
});

test('upstream ids increase strictly, from the clock, also within one millisecond', () => {
  let now = Date.parse('2026-01-01T00:00:00Z');
  const ids = new UpstreamIds(() => now);
  const first = ids.next();
  assert.equal(first, BigInt(now - Date.parse('2024-01-01T00:00:00Z')) << 22n);
  assert.equal(ids.next(), first + 1n);
  now -= 1000; // the clock went back: never an id seen before
  assert.equal(ids.next(), first + 2n);
  now += 2000;
  assert.ok(ids.next() > first + 2n);
});
