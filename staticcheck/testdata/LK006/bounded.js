// Real bounds and values unknown to a static check: nothing to report.
const EventEmitter = require('events');
const events = require('events');

const MAX_SUBSCRIBERS = 50;

const bus = new EventEmitter();
bus.setMaxListeners(20);
bus.setMaxListeners(MAX_SUBSCRIBERS);
bus.setMaxListeners(999);

function sized(emitter, workers) {
  emitter.setMaxListeners(workers.length + 1);
  emitter.setMaxListeners(Number(process.env.MAX_LISTENERS || 10));
}

EventEmitter.defaultMaxListeners = 15;
events.defaultMaxListeners = MAX_SUBSCRIBERS;

console.log(bus.getMaxListeners(), EventEmitter.defaultMaxListeners);

// A function of our own that happens to share the name.
function setMaxListeners(n) {
  return n;
}
setMaxListeners(0);

// Reading the default is fine; so is a local variable named alike.
const defaultMaxListeners = 0;
let limit = defaultMaxListeners;
limit = Infinity;

// A property of an unrelated object.
const settings = {};
settings.defaultMaxListeners = 0;

module.exports = { bus, sized, limit, settings };

// A raised limit on an emitter whose per-call listeners are removed again
// (here by the unsubscribe function each subscriber gets back).
const feed = new EventEmitter();
feed.setMaxListeners(100);
function follow(fn) {
  feed.on('item', fn);
  return () => feed.off('item', fn);
}

// Raised from its current value once, at load time: it does not keep
// growing.
const rooms = new EventEmitter();
rooms.setMaxListeners(rooms.getMaxListeners() + 1);
module.exports = { follow, rooms };
