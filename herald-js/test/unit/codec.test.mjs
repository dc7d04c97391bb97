import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  AckStatus,
  ContentType,
  DecodeError,
  EncodeError,
  encodeFrame,
  ErrorCode,
  FrameDecoder,
  FrameType,
  NoticeKind,
} from '../../dist/index.js';
import { bytes, docExamples, utf8 } from './doc-examples.mjs';

const T = 1_700_000_000_000;

/** What each worked example of docs/protocol.md decodes to. */
const EXPECTED = {
  auth: { type: FrameType.AUTH, token: 'secret' },
  'auth-ok': { type: FrameType.AUTH_OK, heartbeatMillis: 30_000, clientId: 'dev-42', sessionId: 's-7f3a' },
  'auth-fail': { type: FrameType.AUTH_FAIL, code: ErrorCode.INVALID_TOKEN, reason: 'token expired' },
  ping: { type: FrameType.PING },
  pong: { type: FrameType.PONG },
  'message-qos0': message(1n, ContentType.TEXT, 0, false, T, undefined, 'hi'),
  'message-qos1': message(7n, ContentType.JSON, 1, false, T, undefined, '{"t":21.5}'),
  'message-qos1-duplicate-trace': message(0x0123456789abcdefn, ContentType.JSON, 1, true, T + 123, 'req-7', '{"on":true}'),
  'ack-ok': { type: FrameType.ACK, messageId: 7n, status: AckStatus.OK, reason: '' },
  'ack-rejected': { type: FrameType.ACK, messageId: 8n, status: AckStatus.REJECTED, reason: 'ungültig' },
  error: { type: FrameType.ERROR, code: ErrorCode.AUTH_TIMEOUT, reason: 'auth timeout' },
  'error-idle-timeout': { type: FrameType.ERROR, code: ErrorCode.IDLE_TIMEOUT, reason: 'idle' },
  'notice-kicked': { type: FrameType.NOTICE, kind: NoticeKind.KICKED, delayMillis: 0, reason: 'replaced', redirect: '' },
  'notice-redirect': {
    type: FrameType.NOTICE,
    kind: NoticeKind.REDIRECT,
    delayMillis: 2000,
    reason: 'rebalance',
    redirect: 'gw2.example.com:7000',
  },
};

function message(messageId, contentType, qos, duplicate, timestamp, traceId, payload) {
  return { type: FrameType.MESSAGE, messageId, contentType, qos, duplicate, timestamp, traceId, payload: utf8(payload) };
}

function decodeAll(...chunks) {
  const decoder = new FrameDecoder();
  return chunks.flatMap((chunk) => decoder.push(chunk));
}

function decodeError(input, maxBodyLength) {
  const decoder = new FrameDecoder(maxBodyLength);
  try {
    decoder.push(input);
  } catch (e) {
    assert.ok(e instanceof DecodeError, `a DecodeError, not ${e}`);
    return e;
  }
  assert.fail('decoding should have failed');
}

test('every worked example of docs/protocol.md decodes to its frame and encodes to the same bytes', () => {
  const examples = docExamples();
  assert.deepEqual([...examples.keys()].sort(), Object.keys(EXPECTED).sort());
  for (const [name, wire] of examples) {
    assert.deepEqual(decodeAll(wire), [EXPECTED[name]], name);
    assert.deepEqual(encodeFrame(EXPECTED[name]), wire, name);
  }
});

test('frames split at every byte, or batched in one piece, decode the same', () => {
  const examples = [...docExamples().values()];
  const stream = Uint8Array.from(examples.flatMap((e) => [...e]));
  const whole = decodeAll(stream);
  assert.equal(whole.length, examples.length);
  const byteByByte = decodeAll(...[...stream].map((b) => Uint8Array.of(b)));
  assert.deepEqual(byteByByte, whole);
  for (let cut = 1; cut < stream.length; cut += 7) {
    assert.deepEqual(decodeAll(stream.subarray(0, cut), stream.subarray(cut)), whole, `cut at ${cut}`);
  }
});

test('a partial frame waits for the rest and holds only its bytes', () => {
  const decoder = new FrameDecoder();
  const wire = docExamples().get('auth-ok');
  assert.deepEqual(decoder.push(wire.subarray(0, 10)), []);
  assert.equal(decoder.buffered, 10);
  assert.equal(decoder.push(wire.subarray(10)).length, 1);
  assert.equal(decoder.buffered, 0);
});

test('header errors come as soon as their byte is in', () => {
  assert.equal(decodeError(bytes('49')).code, ErrorCode.BAD_MAGIC);
  assert.equal(decodeError(bytes('48 02')).code, ErrorCode.UNSUPPORTED_VERSION);
  // The length is checked when the header is in, before any body byte.
  assert.equal(decodeError(bytes('48 01 06 00 00 01 00 01')).code, ErrorCode.FRAME_TOO_LARGE);
  assert.equal(decodeError(bytes('48 01 04 00 00 00 00 11'), 16).code, ErrorCode.FRAME_TOO_LARGE);
  assert.equal(decodeError(bytes('48 01 0A 00 00 00 00 00')).code, ErrorCode.UNKNOWN_FRAME_TYPE);
  assert.equal(decodeError(bytes('48 01 00 00 00 00 00 00')).code, ErrorCode.UNKNOWN_FRAME_TYPE);
});

test('malformed bodies are refused as MALFORMED_FRAME', () => {
  const cases = {
    'flags on PING': '48 01 04 01 00 00 00 00',
    'reserved MESSAGE flag': '48 01 06 08 00 00 00 11 00 00 00 00 00 00 00 01 01 00 00 01 8B CF E5 68 00',
    'MESSAGE shorter than its fixed fields': '48 01 06 00 00 00 00 10 00 00 00 00 00 00 00 01 01 00 00 01 8B CF E5 68',
    'bytes after the last field': '48 01 04 00 00 00 00 01 00',
    'string beyond the body': '48 01 01 00 00 00 00 03 00 05 61',
    'overlong UTF-8': '48 01 01 00 00 00 00 04 00 02 C0 80',
    'encoded surrogate': '48 01 01 00 00 00 00 05 00 03 ED A0 80',
    'UTF-8 cut off': '48 01 01 00 00 00 00 03 00 01 C3',
    'unknown content type': '48 01 06 00 00 00 00 11 00 00 00 00 00 00 00 01 07 00 00 01 8B CF E5 68 00',
    'unknown ACK status': '48 01 07 00 00 00 00 0B 00 00 00 00 00 00 00 07 03 00 00',
    'unknown notice kind': '48 01 09 00 00 00 00 09 04 00 00 00 00 00 00 00 00',
    'trace id length 0': '48 01 06 04 00 00 00 12 00 00 00 00 00 00 00 01 01 00 00 01 8B CF E5 68 00 00',
    'trace id length 65': '48 01 06 04 00 00 00 12 00 00 00 00 00 00 00 01 01 00 00 01 8B CF E5 68 00 41',
    'trace id with a space': '48 01 06 04 00 00 00 14 00 00 00 00 00 00 00 01 01 00 00 01 8B CF E5 68 00 02 61 20',
  };
  for (const [name, hex] of Object.entries(cases)) {
    assert.equal(decodeError(bytes(hex)).code, ErrorCode.MALFORMED_FRAME, name);
  }
});

test('a decoder that failed refuses everything after', () => {
  const decoder = new FrameDecoder();
  assert.throws(() => decoder.push(bytes('00')), DecodeError);
  assert.throws(() => decoder.push(docExamples().get('ping')), DecodeError);
  assert.equal(decoder.buffered, 0);
});

test('error codes this client does not know read as INTERNAL_ERROR', () => {
  const [frame] = decodeAll(bytes('48 01 08 00 00 00 00 04 01 F4 00 00')); // code 500
  assert.equal(frame.code, ErrorCode.INTERNAL_ERROR);
});

test('string lengths count UTF-8 bytes, and a lone surrogate cannot be encoded', () => {
  const wire = encodeFrame({ type: FrameType.AUTH, token: 'ü€😀' });
  assert.deepEqual([...wire.subarray(8, 10)], [0, 9]);
  assert.throws(() => encodeFrame({ type: FrameType.AUTH, token: 'a\ud800' }), EncodeError);
  assert.throws(() => encodeFrame({ type: FrameType.AUTH, token: 'x'.repeat(65_536) }), EncodeError);
});

test('the encoder refuses what the gateway would refuse', () => {
  const base = message(1n, ContentType.BINARY, 1, false, T, undefined, '');
  assert.throws(() => encodeFrame({ ...base, traceId: '' }), EncodeError);
  assert.throws(() => encodeFrame({ ...base, traceId: 'a b' }), EncodeError);
  assert.throws(() => encodeFrame({ ...base, traceId: 'x'.repeat(65) }), EncodeError);
  assert.throws(() => encodeFrame({ ...base, contentType: 9 }), EncodeError);
  assert.throws(() => encodeFrame({ ...base, messageId: -1n }), EncodeError);
  assert.throws(() => encodeFrame({ ...base, payload: new Uint8Array(65_536 - 16) }), /exceeds the limit/);
  assert.equal(encodeFrame({ ...base, payload: new Uint8Array(65_536 - 17) }).length, 8 + 65_536);
  assert.equal(encodeFrame({ ...base, traceId: 'x'.repeat(64) })[3], 0x05);
});

test('u64 message ids keep all 64 bits', () => {
  const id = 0xfedcba9876543210n;
  const [frame] = decodeAll(encodeFrame({ type: FrameType.ACK, messageId: id, status: AckStatus.RETRY, reason: 'later' }));
  assert.equal(frame.messageId, id);
  assert.equal(frame.status, AckStatus.RETRY);
});
