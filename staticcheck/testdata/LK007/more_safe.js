// More shapes LK007 leaves alone.
const { EventEmitter } = require('events');

const defaults = { retries: 3 };
const bus = new EventEmitter();

// Keyed by module-level objects: a fixed number of entries.
const perEmitter = new Map();
// Keyed by a string taken from the request, not the request.
const byUrl = new Map();
// Sized for a metric.
const open = new Set();
// Handed to another module that may evict it.
const tracked = new Map();
// An object key that is not per call: the request's id is a string.
const seenIds = new Set();

function configure() {
  perEmitter.set(bus, defaults);
  perEmitter.set(defaults, bus);
}

function onRequest(req, res) {
  byUrl.set(req.url, Date.now());
  open.add(res);
  res.setHeader('x-open', String(open.size));
  tracked.set(req, Date.now());
  seenIds.add(req.id);
  // A per-call map that dies with the call.
  const local = new Map();
  local.set(req, res);
  return local.size;
}

require('./janitor').watch(tracked);

module.exports = { configure, onRequest };
