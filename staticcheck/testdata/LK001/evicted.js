// Module-level collections that are bounded or emptied: nothing to report.
const express = require('express');
const { LRUCache } = require('lru-cache');

const app = express();

// Evicted with delete when the response closes.
const sessions = new Map();
// Cleared periodically.
const hits = new Map();
// Bounded by a size check before growing.
const recent = [];
// Bounded with shift after growing.
const log = [];
// Reset by reassignment.
let pending = [];
// An LRU library bounds itself.
const pages = new LRUCache({ max: 500 });
// Emptied with length = 0.
const batch = [];
// Spliced.
const queue = [];
// Truncated with length--.
const undo = [];
// Popped.
const stack = [];
// Only constant keys: the map never holds more than two entries.
const counters = new Map();
const STATUS_OK = 'ok';
// Filled at start-up, not per call.
const routes = new Map();
for (const name of ['a', 'b']) routes.set(name, name.toUpperCase());
(function init() {
  routes.set(process.env.HEALTH_PATH, '/healthz');
})();
// Filled only by a function that start-up code calls.
const plugins = [];
function register(name) {
  plugins.push(name);
}
register('auth');
register('gzip');
// Weak collections do not retain their keys.
const meta = new WeakMap();
// Object entries deleted on logout.
const tokens = {};
// Set emptied by clear() in a shutdown hook.
const inflight = new Set();

setInterval(() => hits.clear(), 60_000).unref();

function flush(send) {
  send(batch.slice());
  batch.length = 0;
  pending = [];
}

app.use((req, res, next) => {
  sessions.set(req.id, { start: Date.now() });
  res.on('close', () => sessions.delete(req.id));
  hits.set(req.ip, (hits.get(req.ip) || 0) + 1);
  if (recent.length < 100) recent.push(req.url);
  log.push(req.url);
  if (log.length > 1000) log.shift();
  pending.push(req.id);
  pages.set(req.url, req.body);
  batch.push(req.body);
  queue.push(req.id);
  stack.push(req.id);
  undo.push(req.body);
  counters.set('requests', (counters.get('requests') || 0) + 1);
  counters.set(STATUS_OK, 1);
  meta.set(req, { at: Date.now() });
  tokens[req.user] = req.token;
  inflight.add(req.id);
  next();
});

app.post('/logout', (req, res) => {
  delete tokens[req.user];
  res.end();
});

process.on('SIGTERM', () => inflight.clear());

function undoLast() {
  undo.length--;
}

function drain(handle) {
  while (queue.length) queue.splice(0, 10).forEach(handle);
  stack.pop();
}

// Function-local collections die with the call.
function summarize(items) {
  const seen = new Set();
  const out = [];
  const byKey = {};
  for (const item of items) {
    seen.add(item.key);
    out.push(item);
    byKey[item.key] = item;
  }
  return { seen, out, byKey };
}

module.exports = { app, flush, drain, summarize, undoLast };
