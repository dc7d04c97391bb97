#!/usr/bin/env node
// Serves the web chat demo: the page (demo/) and the built SDK (dist/), on one origin, over plain HTTP.
//
//   npm run build && node demo/serve.mjs [--port 5173] [--bind 127.0.0.1]
//
// Then allow that origin on the Herald API (--cors-origin http://127.0.0.1:5173), start the node with the chat
// relay on (--handler-setting chat-relay=on), and open the printed URL in two browser tabs. Port 0 picks a free
// port; the ready line names it.
import { startDemoServer } from './server.mjs';

function option(name, fallback) {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 && i + 1 < process.argv.length ? process.argv[i + 1] : fallback;
}

const { server, url } = await startDemoServer(Number(option('port', '5173')), option('bind', '127.0.0.1'));
console.log(`Herald chat demo on ${url}`);
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => server.close(() => process.exit(0)));
}
