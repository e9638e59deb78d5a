// Drains the queue, resets the error list and clears the pending set of
// legacy_exports.js.
const legacy = require('./legacy_exports');
const { errors } = require('./legacy_exports');

setInterval(() => {
  while (legacy.queue.length > 0) legacy.queue.shift();
  errors.length = 0;
  legacy.pending.clear();
}, 1000).unref();
