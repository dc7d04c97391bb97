import { test } from 'node:test';
import assert from 'node:assert/strict';
import { GatewayRotation } from '../../dist/gateway-rotation.js';

const A = 'ws://10.0.0.1:7081/ws';
const gateway = (wsUrl, tls = false) => ({ host: 'gw', tcpPort: 7000, wsUrl, tls });
const B = gateway('ws://10.0.0.2:7082/ws');
const C = gateway('ws://10.0.0.3:7083/ws');

test('every other gateway is tried once in a row, in the API order, then none', () => {
  const rotation = GatewayRotation.of(A, [B, C], 'auto');
  assert.equal(rotation.size, 3);
  assert.equal(rotation.next(), B.wsUrl);
  assert.equal(rotation.next(), C.wsUrl);
  assert.equal(rotation.next(), null, 'the assigned one failed first: not again in this round');
  assert.equal(rotation.next(), null);
});

test('a connection starts a new round from the gateway that took the client, round the list', () => {
  const rotation = GatewayRotation.of(A, [B, C], 'auto');
  assert.equal(rotation.next(), B.wsUrl);
  rotation.connected();
  assert.equal(rotation.next(), C.wsUrl);
  assert.equal(rotation.next(), A, 'round the list to the assigned one');
  assert.equal(rotation.next(), null);
  rotation.connected();
  assert.equal(rotation.next(), B.wsUrl);
});

test('without fallbacks there is nothing to move to', () => {
  const rotation = GatewayRotation.of(A, [], 'auto');
  assert.equal(rotation.size, 1);
  assert.equal(rotation.next(), null);
  rotation.connected();
  assert.equal(rotation.next(), null);
});

test('fallbacks without a usable WebSocket URL and repeats are left out', () => {
  const noListener = gateway(null);
  const notWs = gateway('http://10.0.0.4/ws');
  const rotation = GatewayRotation.of(A, [noListener, gateway(A), notWs, C, C], 'auto');
  assert.equal(rotation.size, 2);
  assert.equal(rotation.next(), C.wsUrl);
  assert.equal(rotation.next(), null);
});

test("fallback URLs follow the tls option as the assigned one does, and a repeat is seen through it", () => {
  const rotation = GatewayRotation.of('wss://10.0.0.1:7081/ws', [gateway(A), gateway('ws://10.0.0.2:7082/ws', true)], 'auto');
  assert.equal(rotation.size, 3);
  assert.equal(rotation.next(), A);
  assert.equal(rotation.next(), 'wss://10.0.0.2:7082/ws');
  const secure = GatewayRotation.of('wss://10.0.0.1:7081/ws', [gateway(A)], 'on');
  assert.equal(secure.size, 1, 'the same gateway once its URL is made wss://');
});
