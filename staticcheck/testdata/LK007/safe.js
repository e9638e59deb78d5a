// Object-keyed collections that are fine, or that a WeakMap could not replace.
const http = require('http');

// Deleted when the response closes (on every path).
const startedAt = new Map();
// Iterated to broadcast, and cleaned up on close.
const sockets = new Set();
// Keys are ids, not objects.
const byId = new Map();
// Already weak.
const meta = new WeakMap();
const marks = new WeakSet();
// Cleared on shutdown.
const live = new Set();
// Local to one call.
function group(reqs) {
  const perReq = new Map();
  for (const r of reqs) perReq.set(r, r.url);
  return perReq;
}

const server = http.createServer((req, res) => {
  startedAt.set(req, Date.now());
  res.on('close', () => startedAt.delete(req));
  sockets.add(req.socket);
  req.socket.on('close', () => sockets.delete(req.socket));
  byId.set(req.headers['x-request-id'], Date.now());
  if (byId.size > 10000) byId.clear();
  meta.set(req, { at: Date.now() });
  marks.add(res);
  live.add(res);
  res.end();
});

process.on('SIGTERM', () => live.clear());

function broadcast(msg) {
  sockets.forEach((s) => s.write(msg));
}

module.exports = { server, broadcast, group };
