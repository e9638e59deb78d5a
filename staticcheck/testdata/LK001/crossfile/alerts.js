'use strict';
// Warnings printed once per message. Every caller in the program passes a
// constant message, so the object holds at most one entry per call site.
const warned = {};

module.exports.warnOnce = function warnOnce(msg) {
  if (!(msg in warned)) {
    warned[msg] = true;
    console.warn(msg);
  }
};

// A declared helper, called with constants only: bounded too.
const deprecations = new Set();
function deprecate(what) {
  if (!deprecations.has(what)) {
    deprecations.add(what);
    console.warn(what + ' is deprecated');
  }
}
module.exports.deprecate = deprecate;

// One caller passes a message built at run time: every distinct error
// message stays.
const reported = {};
module.exports.reportOnce = function reportOnce(msg) {
  if (!reported[msg]) {
    reported[msg] = true; // want LK001 "reported"
    console.error(msg);
  }
};

// Passed on as a callback: its calls are not all visible.
const seen = new Map();
function remember(key) {
  seen.set(key, Date.now()); // want LK001 "seen"
}
module.exports.rememberAll = (keys) => keys.forEach(remember);
remember('boot');
