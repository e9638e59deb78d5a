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
