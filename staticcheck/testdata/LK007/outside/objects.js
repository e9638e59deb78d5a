// CommonJS. Module-level Maps and Sets keyed by objects handed in from
// outside — DOM elements, sockets, instances, options objects — keep each
// key alive; a WeakMap/WeakSet lets it go.
const tooltips = new Map();
function attachTooltip(el, text) {
  tooltips.set(el, text); // want LK007 "Map \"tooltips\""
}

const mounted = new Set();
function mount(component) {
  mounted.add(component); // want LK007 "Set \"mounted\""
  return mounted.has(component);
}

const stats = new Map();
function count(clientSocket, n) {
  stats.set(clientSocket, (stats.get(clientSocket) || 0) + n); // want LK007 "Map \"stats\""
}

const resolved = new Map();
function resolveOptions(options) {
  if (!resolved.has(options)) resolved.set(options, { ...options, retries: 3 }); // want LK007 "Map \"resolved\""
  return resolved.get(options);
}

const owners = new Map();
function own(instance, owner) {
  owners.set(instance, owner); // want LK007 "Map \"owners\""
}

const sizes = new Map();
function observe(target) {
  sizes.set(target, target.getBoundingClientRect()); // want LK007 "Map \"sizes\""
}

// Handed the instance by every caller: register(this), register(new Job()).
const jobs = new Set();
function register(job) {
  jobs.add(job); // want LK007 "Set \"jobs\""
}
class Job {
  constructor() {
    register(this);
  }
}
function schedule() {
  register(new Job());
}

const handlers = new Map();
function bind(rootElement, handler) {
  handlers.set(rootElement, handler); // want LK007 "Map \"handlers\""
}

// --- not reported ---

// Keyed by ids.
const byId = new Map();
function remember(id, value) {
  byId.set(id, value);
  if (byId.size > 100) byId.clear();
}

// Already weak.
const meta = new WeakMap();
function tag(el) {
  meta.set(el, Date.now());
}

// Deleted when the element goes away.
const listeners = new Map();
function listen(el, fn) {
  listeners.set(el, fn);
}
function unlisten(el) {
  listeners.delete(el);
}

// Iterated: a WeakSet cannot replace it.
const widgets = new Set();
function addWidget(widget) {
  widgets.add(widget);
  if (widgets.size > 50) widgets.clear();
}
function renderAll() {
  for (const w of widgets) w.render();
}

// A parameter with another name, called with strings.
const labels = new Map();
function label(key, text) {
  labels.set(key, text);
  if (labels.size > 1000) labels.clear();
}
label('a', 'A');

// Called with a string by one caller.
const seen = new Set();
function see(item) {
  seen.add(item);
  if (seen.size > 1000) seen.clear();
}
see(new Job());
see('literal');

// An options object passed around, but the collection is bounded.
const cache = new Map();
function cached(options) {
  if (cache.size > 10) cache.clear();
  cache.set(options, true);
}

module.exports = { attachTooltip, mount, count, resolveOptions, own, observe, schedule, bind, remember, tag, listen, unlisten, addWidget, renderAll, cached };
