// The web chat demo's static file server: the page (demo/) and the built SDK (dist/), on one origin, plain HTTP.
// Only files under demo/ and dist/ are served, read-only. Used by demo/serve.mjs and the browser test.
import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const SERVED = ['demo', 'dist'];
const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.ts': 'text/plain; charset=utf-8',
};

/** The file a URL path names, or null when it is outside the served folders. */
function fileFor(urlPath) {
  const path = decodeURIComponent(urlPath.endsWith('/') ? `${urlPath}index.html` : urlPath);
  const relative = normalize(path).replace(/^[/\\]+/, '');
  const top = relative.split(sep)[0];
  if (!SERVED.includes(top) || relative.split(sep).includes('..')) {
    return null;
  }
  return join(ROOT, relative);
}

async function serveFile(request, response) {
  const url = new URL(request.url, 'http://x');
  if (url.pathname === '/') {
    // The page lives in /demo/, so that its relative URLs (chat.js, ../dist/) resolve alike from any entry.
    response.writeHead(302, { Location: `/demo/${url.search}` }).end();
    return;
  }
  let file;
  try {
    file = request.method === 'GET' ? fileFor(url.pathname) : null;
  } catch {
    file = null; // a malformed percent-escape
  }
  if (!file) {
    response.writeHead(request.method === 'GET' ? 404 : 405, { 'Content-Type': 'text/plain' }).end('not here\n');
    return;
  }
  try {
    const body = await readFile(file);
    response.writeHead(200, {
      'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream',
      'Cache-Control': 'no-store',
    });
    response.end(body);
  } catch {
    response.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found\n');
  }
}

/** Starts serving on `port` (0: a free one); resolves to the server and its base URL. */
export function startDemoServer(port = 0, bind = '127.0.0.1') {
  const server = createServer(serveFile);
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, bind, () => {
      const { address, port: bound } = server.address();
      resolve({ server, url: `http://${address}:${bound}/` });
    });
  });
}
