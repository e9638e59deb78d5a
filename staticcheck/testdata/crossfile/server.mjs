// Adds two listeners per request: one removed in hub.mjs, one never removed.
import http from 'node:http';
import { hub, onTick } from './hub.mjs';
export const server = http.createServer((req, res) => {
  hub.on('tick', onTick);
  hub.on('tock', (t) => res.write(t));
});
