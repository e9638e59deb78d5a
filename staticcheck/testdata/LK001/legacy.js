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
