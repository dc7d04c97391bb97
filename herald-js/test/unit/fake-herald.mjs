// A scripted stand-in for a Herald node on loopback, for the client's unit tests: an HTTP API answering logins
// (a new token each time, counted) and a WebSocket gateway on /ws speaking real frames through the SDK's own codec.
// Each test decides what the gateway answers; the real node is exercised by the browser test (herald-it).
import { createServer } from 'node:http';
import { createServer as createTcpServer } from 'node:net';
import { WebSocketServer } from 'ws';
import { encodeFrame, FrameDecoder, FrameType } from '../../dist/index.js';

export class FakeHerald {
  logins = 0;
  /** Every connection, in order; each has `frames` (decoded, from the client) and `send(frame)`. */
  connections = [];
  /** WebSocket URLs a login answer lists as `fallbackGateways`; null (the default) leaves the field out. */
  fallbackUrls = null;
  /** Answers a login: status and body; the default accepts the secret 'right' only. */
  loginAnswer = (body) =>
    body.secret === 'right'
      ? { status: 200, body: { token: `t${this.logins}`, expiresAt: new Date(Date.now() + 3_600_000).toISOString(), gateway: gatewayAt(this.wsUrl), ...this.fallbacks() } }
      : { status: 401, body: { error: { code: 'invalid_credentials', message: 'unknown clientId or wrong secret' } } };
  /** Answers an AUTH; the default accepts every token. */
  authAnswer = () => ({ type: FrameType.AUTH_OK, heartbeatMillis: 0, clientId: 'dev-1', sessionId: `s${this.connections.length}` });

  async start() {
    this.http = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk) => (body += chunk));
      request.on('end', () => {
        this.logins++;
        const answer = this.loginAnswer(JSON.parse(body));
        response.writeHead(answer.status, { 'Content-Type': 'application/json' }).end(JSON.stringify(answer.body));
      });
    });
    await new Promise((resolve) => this.http.listen(0, '127.0.0.1', resolve));
    this.apiUrl = `http://127.0.0.1:${this.http.address().port}`;
    this.wss = new WebSocketServer({ host: '127.0.0.1', port: 0, path: '/ws' });
    await new Promise((resolve) => this.wss.once('listening', resolve));
    this.wsUrl = `ws://127.0.0.1:${this.wss.address().port}/ws`;
    this.wss.on('connection', (socket) => this.accept(socket));
    return this;
  }

  accept(socket) {
    const decoder = new FrameDecoder();
    const connection = {
      socket,
      frames: [],
      closed: false,
      send: (frame) => socket.send(encodeFrame(frame)),
      close: () => socket.close(),
    };
    this.connections.push(connection);
    socket.on('close', () => (connection.closed = true));
    socket.on('message', (data) => {
      for (const frame of decoder.push(new Uint8Array(data))) {
        connection.frames.push(frame);
        if (frame.type === FrameType.AUTH) {
          const answer = this.authAnswer(frame.token, connection);
          connection.send(answer);
          if (answer.type === FrameType.AUTH_FAIL) {
            socket.close();
          }
        }
      }
    });
  }

  /** Resolves once `probe()` is truthy, checked every 20 ms. */
  until(probe, timeoutMs = 5000) {
    return new Promise((resolve, reject) => {
      const deadline = Date.now() + timeoutMs;
      const check = () => {
        const value = probe();
        if (value) {
          clearInterval(timer);
          resolve(value);
        } else if (Date.now() > deadline) {
          clearInterval(timer);
          reject(new Error(`timed out: ${probe}`));
        }
      };
      const timer = setInterval(check, 20);
      check();
    });
  }

  fallbacks() {
    return this.fallbackUrls === null ? {} : { fallbackGateways: this.fallbackUrls.map(gatewayAt) };
  }

  /** The gateway goes away (a killed node): its connections are cut and nothing listens at its URL any more. */
  async stopGateway() {
    for (const client of this.wss.clients) {
      client.terminate();
    }
    await new Promise((resolve) => this.wss.close(resolve));
  }

  framesOf(index, type) {
    return (this.connections[index]?.frames ?? []).filter((frame) => frame.type === type);
  }

  async stop() {
    await this.stopGateway(); // closing it twice is harmless
    await new Promise((resolve) => this.http.close(resolve));
  }
}

const gatewayAt = (wsUrl) => ({ host: '127.0.0.1', tcpPort: 0, wsUrl, tls: false });

/** A WebSocket URL on a loopback port nothing listens on (it was free a moment ago): a gateway that is gone. */
export async function goneGatewayUrl() {
  const server = createTcpServer();
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  await new Promise((resolve) => server.close(resolve));
  return `ws://127.0.0.1:${port}/ws`;
}
