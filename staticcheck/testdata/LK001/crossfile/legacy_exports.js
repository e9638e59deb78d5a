// Collections created directly as CommonJS exports.
exports.seen = new Set();
exports.queue = [];
module.exports.errors = [];

exports.track = function (id) {
  exports.seen.add(id); // want LK001 "seen"
  exports.queue.push(id);
};

exports.fail = function (err) {
  module.exports.errors.push(err.message);
};

// A variable and an export at once: the same collection.
const dnsCache = (module.exports.dnsCache = new Map());
const pending = (exports.pending = new Set());

exports.resolve = function (host, ip) {
  dnsCache.set(host, ip); // want LK001 "dnsCache"
  pending.add(host);
};
