// Cleanup on every path: a removal counts when it runs on every way out
// of the lifetime it is tied to.
const { EventEmitter } = require('events');
const http = require('http');

const bus = new EventEmitter();

http.createServer((req, res) => {
  const onTick = (t) => res.write(t);
  bus.on('tick', onTick); // want LK002 "is removed on \"end\" of req but not when req errors or is destroyed first"
  req.on('end', () => bus.off('tick', onTick));
}).listen(8080);

http.createServer((req, res) => {
  const onPrice = (p) => res.write(p);
  bus.on('price', onPrice); // want LK002 "is removed on \"finish\" of res"
  res.once('finish', () => bus.removeListener('price', onPrice));
}).listen(8081);

// 'close' comes on every path: covered.
http.createServer((req, res) => {
  const onNews = (n) => res.write(n);
  bus.on('news', onNews);
  res.on('close', () => bus.off('news', onNews));
}).listen(8082);

// Removed on 'end' and on 'error': the code takes care of both paths.
http.createServer((req, res) => {
  const onQuote = (q) => res.write(q);
  bus.on('quote', onQuote);
  req.on('end', () => bus.off('quote', onQuote));
  req.on('error', () => bus.off('quote', onQuote));
}).listen(8083);

async function relay(job) {
  const onProgress = (p) => job.report(p);
  bus.on('progress', onProgress); // want LK002 "is removed after `await job.run\\(\\)` but not when it throws \\(remove the listener in a finally block\\)"
  await job.run();
  bus.off('progress', onProgress);
}

async function guarded(job) {
  const onStep = (p) => job.report(p);
  bus.on('step', onStep);
  try {
    await job.run();
  } finally {
    bus.off('step', onStep);
  }
}

function check(job) {
  const onState = (s) => job.update(s);
  bus.on('state', onState); // want LK002 "is removed further down but not when an early return leaves the function first"
  if (job.done) {
    return;
  }
  bus.off('state', onState);
}

// The early return comes before the listener is added: every path that
// adds it removes it.
function poll(job) {
  if (job.done) {
    return;
  }
  const onPoll = (s) => job.update(s);
  bus.on('poll', onPoll);
  job.check();
  bus.off('poll', onPoll);
}

// An await inside a try with a catch: where the throw goes is not
// followed.
async function retry(job) {
  const onRetry = (s) => job.update(s);
  bus.on('retry', onRetry);
  try {
    await job.run();
  } catch (err) {
    job.fail(err);
  }
  bus.off('retry', onRetry);
}

// The removal in another function runs whenever that function is called.
function watch(job) {
  bus.on('done', job.onDone);
}
function unwatch(job) {
  bus.off('done', job.onDone);
}

module.exports = { relay, guarded, check, poll, retry, watch, unwatch };

// A named cleanup passed to 'end' only, and one passed to 'end' and to
// 'close'.
http.createServer((req, res) => {
  const onAlert = (a) => res.write(a);
  const stop = () => bus.off('alert', onAlert);
  bus.on('alert', onAlert); // want LK002 "is removed on \"end\" of req but not when req errors"
  req.on('end', stop);
}).listen(8084);

http.createServer((req, res) => {
  const onNotice = (a) => res.write(a);
  function stop() {
    bus.off('notice', onNotice);
  }
  bus.on('notice', onNotice);
  req.on('end', stop);
  res.on('close', stop);
}).listen(8085);
