// CommonJS helpers that listen on what they are handed; their callers are
// in routes.cjs.
exports.follow = function (emitter, res) {
  emitter.on('update', (u) => res.write(u)); // want LK002 "listener for \"update\" added to long-lived emitter"
};

exports.tail = (source, out) => {
  source.on('line', (l) => out.write(l)); // want LK002 "listener for \"line\""
};

exports.watchServer = function (server, res) {
  server.on('request', () => res.write('.')); // want LK002 "listener for \"request\""
};

exports.onWarning = function (target, log) {
  target.on('warning', (w) => log.push(w)); // want LK002 "listener for \"warning\""
};

// Called with per-request objects only.
exports.drain = function (stream, res) {
  stream.on('data', (d) => res.write(d));
};

// Called only while the module loads.
exports.report = function (emitter) {
  emitter.on('error', (e) => console.error(e));
};

// Hands the removal back to its caller.
exports.subscribe = function (emitter, fn) {
  emitter.on('change', fn);
  return () => emitter.off('change', fn);
};

// Called with a fresh emitter on every request.
exports.bridge = function (local, res) {
  local.on('chunk', (c) => res.write(c));
};

// Runs once for the program: guarded by a module-level flag.
let watching = false;
exports.watchOnce = function (emitter) {
  if (!watching) {
    emitter.on('beat', () => {});
    watching = true;
  }
};
