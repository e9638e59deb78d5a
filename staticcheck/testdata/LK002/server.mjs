// An ESM HTTP server with a shared event hub from another module.
import { EventEmitter, once } from 'node:events';
import http from 'node:http';
import { emitter as shared, onUpdate } from './shared.mjs';

export const hub = new EventEmitter();

const server = http.createServer((req, res) => {
  hub.on('message', (m) => res.write(m)); // want LK002 `on every request`
  shared.on('done', () => res.end()); // removed by removeAllListeners in shared.mjs
  shared.on('update', onUpdate); // removed with off(onUpdate) in shared.mjs
  shared.on('other', onUpdate); // want LK002 "shared"
  server.on('close', () => res.end()); // want LK002 "server"
});

server.on('connection', (socket) => {
  socket.on('data', (d) => socket.write(d));
  socket.on('timeout', () => socket.destroy());
  hub.on('broadcast', (m) => socket.write(m)); // want LK002 `on every "connection" event`
});

export async function waitForReady() {
  await once(hub, 'ready');
}

export function subscribe(fn) {
  hub.on('message', fn);
  return () => hub.off('message', fn);
}

export function logMessages(signal) {
  hub.on('message', (m) => console.log(m)); // want LK002
  signal.addEventListener('abort', () => {}, { once: true });
}

server.listen(8080);
