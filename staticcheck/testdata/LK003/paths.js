// CommonJS. Cleanup on every path for timers: a clear counts when it runs
// on every way out of the lifetime the timer is tied to.
const http = require('http');
const net = require('net');

http.createServer((req, res) => {
  const heartbeat = setInterval(() => res.write(':\n'), 15000); // want LK003 "interval heartbeat started on every request is cleared on \"end\" of req but not when req errors or is destroyed first"
  req.on('end', () => clearInterval(heartbeat));
}).listen(8080);

http.createServer((req, res) => {
  const progress = setInterval(() => res.write('.'), 1000); // want LK003 "is cleared on \"finish\" of res"
  res.once('finish', () => clearInterval(progress));
}).listen(8081);

net.createServer((socket) => {
  const ping = setInterval(() => socket.write('ping'), 5000); // want LK003 "is cleared on \"end\" of socket"
  function stop() {
    clearInterval(ping);
  }
  socket.on('end', stop);
}).listen(8082);

async function watch(job) {
  const ticker = setInterval(() => job.report(), 1000); // want LK003 "interval ticker .* is cleared after `await job.run\\(\\)` but not when it throws \\(clear it in a finally block\\)"
  await job.run();
  clearInterval(ticker);
}

function poll(job) {
  const timer = setInterval(() => job.check(), 100); // want LK003 "is cleared further down but not when an early return leaves the function first"
  if (job.done) {
    return;
  }
  job.start();
  clearInterval(timer);
}

function guard(job) {
  const timer = setInterval(() => job.check(), 100); // want LK003 "is cleared further down but not when an early throw leaves the function first"
  if (!job.valid) throw new Error('invalid job');
  job.start();
  clearInterval(timer);
}

// --- not reported ---

// 'close' comes on every path.
http.createServer((req, res) => {
  const beat = setInterval(() => res.write(':\n'), 15000);
  res.on('close', () => clearInterval(beat));
}).listen(8083);

// Cleared on 'end' and on 'error'.
http.createServer((req, res) => {
  const beat = setInterval(() => res.write(':\n'), 15000);
  req.on('end', () => clearInterval(beat));
  req.on('error', () => clearInterval(beat));
}).listen(8084);

// In a finally block.
async function guarded(job) {
  const beat = setInterval(() => job.report(), 1000);
  try {
    await job.run();
  } finally {
    clearInterval(beat);
  }
}

// The early return comes before the timer starts.
function early(job) {
  if (job.done) {
    return;
  }
  const beat = setInterval(() => job.check(), 100);
  job.start();
  clearInterval(beat);
}

// The callback clears its own timer.
function countdown(n, done) {
  const beat = setInterval(() => {
    if (--n === 0) {
      clearInterval(beat);
      done();
    }
  }, 1000);
}

// Cleared in the catch and after: both ways out.
async function retried(job) {
  const beat = setInterval(() => job.report(), 1000);
  try {
    await job.run();
  } catch (err) {
    clearInterval(beat);
    throw err;
  }
  clearInterval(beat);
}

// Cleared in a 'close' handler kept in a variable.
net.createServer((socket) => {
  const beat = setInterval(() => socket.write('ping'), 5000);
  const stop = () => clearInterval(beat);
  socket.on('close', stop);
}).listen(8085);

// Cleared after a synchronous call: no way out between.
function sync(job) {
  const beat = setInterval(() => job.check(), 100);
  job.runSync();
  clearInterval(beat);
}

// The return that contains the clear is not an early way out.
function returned(job) {
  const beat = setInterval(() => job.check(), 100);
  return job.finish(() => clearInterval(beat));
}

module.exports = { watch, poll, guard, guarded, early, countdown, retried, sync, returned };
