// A classic script (no module syntax) from an old code base.
var visitors = {};
var warnings = [];
var ring = [];

function track(name) {
  visitors[name] = true; // want LK001 "visitors"
}

process.on('warning', function (w) {
  warnings[warnings.length] = w.message; // want LK001 "warnings"
});

function remember(entry) {
  ring[0] = entry;
  return visitors[entry] || false;
}

track('boot');
remember('boot');
process.on('message', function (msg) {
  track(msg.from);
});

// Filled once while the module loads, through array callbacks: a fixed
// number of entries.
var nameFromLevel = {};
var levelFromName = { trace: 10, debug: 20, info: 30 };
Object.keys(levelFromName).forEach(function (name) {
  nameFromLevel[levelFromName[name]] = name;
});
var known = new Set();
['a', 'b', 'c'].map(function (k) { known.add(k); });

// The same callback inside a handler runs on every call.
var seen = {};
process.on('message', function (msg) {
  msg.ids.forEach(function (id) {
    seen[id] = true; // want LK001 "seen"
  });
});

// Switched off by `= false` (an opt-out) and tested before use: it still
// grows while it is on.
var alerts = {};
function disableAlerts() {
  alerts = false;
}
function alertOnce(msg) {
  if (alerts && !alerts[msg]) {
    alerts[msg] = true; // want LK001 "alerts"
  }
}
process.on('message', function (m) {
  if (m.quiet) disableAlerts();
  alertOnce(m.text);
});

// Reset to a fresh object on a timer: bounded.
var hits = {};
function resetHits() {
  hits = {};
}
setInterval(resetHits, 60000);
process.on('message', function (m) {
  hits[m.key] = (hits[m.key] || 0) + 1;
});
