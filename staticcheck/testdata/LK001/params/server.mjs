// ES module. Request handlers, sockets and middleware that hand
// module-level collections to the helpers of record.mjs.
import http from 'node:http';
import { WebSocketServer } from 'ws';
import { record, remember, note, bucket, recent, move, registry } from './record.mjs';

const requests = [];
const bodies = new Map();
const seenIds = new Set();
const byType = { get: [], post: [] };

http.createServer((req, res) => {
  record(requests, req.url); // want LK001 "record\\(\\) pushes onto its parameter \"list\", and this call hands it module-level array \"requests\" on every request"
  remember(bodies, req.url, req.headers); // want LK001 "remember\\(\\) sets entries in its parameter \"cache\".*module-level Map \"bodies\""
  note(seenIds, req.headers['x-id']); // want LK001 "note\\(\\) adds to its parameter \"ids\".*module-level Set \"seenIds\""
  bucket(byType, req.method.toLowerCase(), req.url); // want LK001 "bucket\\(\\) unshifts onto its parameter \"buckets\".*module-level object \"byType\""
  remember(registry, req.url, res); // want LK001 "module-level Map \"registry\" on every request"
  res.end();
}).listen(8080);

// A named handler, and a handler two helpers away from the listener.
const archive = [];
function save(message) {
  record(archive, message); // want LK001 "module-level array \"archive\" on every \"message\" event"
}
function onMessage(message) {
  save(String(message));
}
const wss = new WebSocketServer({ port: 8081 });
wss.on('connection', (ws) => {
  ws.on('message', onMessage);
});

// Middleware made by a factory: the function it returns runs per request.
const auditLog = [];
export function audit() {
  return (req, res, next) => {
    record(auditLog, req.path); // want LK001 "module-level array \"auditLog\" on every call of the function audit\\(\\) returns"
    next();
  };
}

// Not growth: a bounded helper, a move between lists, per-call lists, a
// parameter filled with a per-call value, load-time calls.
const latest = [];
const idle = [];
const busy = [];
http.createServer((req, res) => {
  recent(latest, req.url);
  move(req.socket, idle, busy);
  const local = [];
  record(local, req.url);
  record([], req.url);
  remember(new Map(), req.url, res);
  res.end();
}).listen(8082);
record(requests, 'boot');
for (const t of ['a', 'b']) record(requests, t);

// A WeakMap keeps no key alive.
const metadata = new WeakMap();
http.createServer((req, res) => {
  remember(metadata, req, Date.now());
  res.end();
}).listen(8083);
