// CommonJS. Removals in a helper (done(), cleanup()) that only some of the
// handlers for the ways a request ends call: the others leave the
// listener behind.
const { EventEmitter } = require('events');
const http = require('http');

const bus = new EventEmitter();

// axios's XHR adapter (1.15.2), reduced: the caller's signal loses its
// listener when the request loads, not when it errors, aborts or times out.
function resolveConfig(config) {
  return Object.assign({}, config);
}
module.exports.xhrAdapter = function (config) {
  return new Promise(function dispatchXhrRequest(resolve, reject) {
    const _config = resolveConfig(config);
    let onCanceled;
    function done() {
      _config.signal && _config.signal.removeEventListener('abort', onCanceled);
    }
    let request = new XMLHttpRequest();
    function onloadend() {
      if (!request) return;
      settle(function _resolve(value) { resolve(value); done(); }, function _reject(err) { reject(err); done(); }, request);
      request = null;
    }
    request.onloadend = onloadend;
    request.onabort = function handleAbort() { reject(new Error('aborted')); request = null; };
    request.onerror = function handleError() { reject(new Error('network')); request = null; };
    request.ontimeout = function handleTimeout() { reject(new Error('timeout')); request = null; };
    onCanceled = () => { reject(new Error('canceled')); request.abort(); };
    _config.signal.addEventListener('abort', onCanceled); // want LK002 "listener for \"abort\" added to long-lived _config.signal on every call of xhrAdapter\\(\\) is removed in the onloadend handler of request but not in its onabort, onerror and ontimeout handlers"
    request.send(null);
  });
};

// The fixed adapter (1.16.0): every handler calls done().
module.exports.fixedAdapter = function (config) {
  return new Promise(function dispatchXhrRequest(resolve, reject) {
    const _config = resolveConfig(config);
    let onCanceled;
    function done() {
      _config.signal && _config.signal.removeEventListener('abort', onCanceled);
    }
    let request = new XMLHttpRequest();
    request.onloadend = function () { resolve(request); done(); };
    request.onabort = function () { reject(new Error('aborted')); done(); };
    request.onerror = function () { reject(new Error('network')); done(); };
    request.ontimeout = function () { reject(new Error('timeout')); done(); };
    onCanceled = () => request.abort();
    _config.signal.addEventListener('abort', onCanceled);
    request.send(null);
  });
};

// A caller's signal whose listener is never removed: the signal's owner
// decides (LK002 reports caller signals only when the code's own removal
// misses a way out).
module.exports.fire = function (options) {
  const opts = resolveConfig(options);
  return new Promise((resolve) => {
    opts.signal.addEventListener('abort', () => resolve(null));
  });
};

// A signal the call creates dies with it.
module.exports.local = function () {
  return new Promise((resolve) => {
    const controller = new AbortController();
    const stop = () => resolve(null);
    function done() { controller.signal.removeEventListener('abort', stop); }
    const request = new XMLHttpRequest();
    request.onload = () => done();
    request.onerror = () => resolve(null);
    controller.signal.addEventListener('abort', stop);
  });
};

// A module-level bus, one listener per request: cleanup() runs when the
// request ends, not when it errors.
http.createServer((req, res) => {
  const onTick = (t) => res.write(t);
  function cleanup() {
    bus.off('tick', onTick);
  }
  bus.on('tick', onTick); // want LK002 "is removed in the \"end\" handler of req but not in its \"error\" handler"
  req.on('end', () => { cleanup(); res.end(); });
  req.on('error', (err) => res.destroy(err));
}).listen(8080);

// Two helpers away: finish() calls release(), which removes.
http.createServer((req, res) => {
  const onPrice = (p) => res.write(p);
  function release() { bus.removeListener('price', onPrice); }
  function finish() { release(); res.end(); }
  bus.on('price', onPrice); // want LK002 "is removed in the \"finish\" handler of res but not in its \"error\" handler"
  res.on('finish', () => finish());
  res.on('error', () => res.destroy());
}).listen(8081);

// Each end handler calls the helper: covered.
http.createServer((req, res) => {
  const onNews = (n) => res.write(n);
  function cleanup() { bus.off('news', onNews); }
  bus.on('news', onNews);
  req.on('end', () => cleanup());
  req.on('error', () => cleanup());
  req.on('aborted', cleanup);
}).listen(8082);

// The helper runs on 'close', which comes on every path.
http.createServer((req, res) => {
  const onQuote = (q) => res.write(q);
  function cleanup() { bus.off('quote', onQuote); }
  bus.on('quote', onQuote);
  res.on('close', () => cleanup());
  res.on('error', () => res.destroy());
}).listen(8083);

// Handlers of two objects: the request's end removes, the response's
// error is the response's own business.
http.createServer((req, res) => {
  const onState = (s) => res.write(s);
  function cleanup() { bus.off('state', onState); }
  bus.on('state', onState);
  req.on('end', () => cleanup());
  res.on('error', () => res.destroy());
}).listen(8084);

// Different helpers, one per end, each removing.
http.createServer((req, res) => {
  const onLevel = (l) => res.write(l);
  function done() { bus.off('level', onLevel); }
  function fail() { bus.off('level', onLevel); res.destroy(); }
  bus.on('level', onLevel);
  req.on('end', () => done());
  req.on('error', () => fail());
}).listen(8085);

// A listener on the request itself dies with it.
http.createServer((req, res) => {
  const onData = (d) => res.write(d);
  function cleanup() { req.off('data', onData); }
  req.on('data', onData);
  req.on('end', () => cleanup());
  req.on('error', () => res.destroy());
}).listen(8086);

// One handler for two of the ends, calling the helper that removes: the
// message names both, and the third end misses the removal.
http.createServer((req, res) => {
  const onRate = (r) => res.write(r);
  function release() { bus.off('rate', onRate); }
  function finish() { release(); res.end(); }
  bus.on('rate', onRate); // want LK002 "is removed in the \"aborted\" and \"end\" handlers of req but not in its \"error\" handler"
  req.on('end', finish);
  req.on('aborted', finish);
  req.on('error', () => res.destroy());
}).listen(8087);

// One handler for every end of the request: removed on every path.
http.createServer((req, res) => {
  const onRate = (r) => res.write(r);
  function release() { bus.off('rate', onRate); }
  function finish() { release(); }
  bus.on('rate', onRate);
  req.on('end', finish);
  req.on('error', finish);
}).listen(8088);
