'use strict';
// A strict CommonJS module: an undeclared assignment throws instead of
// creating a global, so it is not a leak.
function handle(req) {
  cached = req;
  return cached;
}
module.exports = handle;
