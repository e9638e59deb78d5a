// CommonJS. A limit that is not huge, raised where it hides a leak all
// the same.
const { EventEmitter } = require('events');
const http = require('http');

const bus = new EventEmitter();

// Raised again on every request: the warning never comes.
http.createServer((req, res) => {
  bus.setMaxListeners(bus.getMaxListeners() + 1); // want LK006 "bus.setMaxListeners\\(\\) raises the limit again on every request"
  bus.once('config', (c) => res.end(String(c)));
}).listen(8080);

let subscribers = 10;
const feed = new EventEmitter();
function subscribe(fn) {
  feed.setMaxListeners(++subscribers); // want LK006 "raises the limit again"
  feed.on('data', fn);
}

// A limit of 50 on an emitter that gains a listener per request which
// nothing removes.
const prices = new EventEmitter();
prices.setMaxListeners(50); // want LK006 "prices.setMaxListeners\\(\\) raises the limit of an emitter that gains a listener per call which nothing removes"
http.createServer((req, res) => {
  prices.on('tick', (p) => res.write(String(p)));
}).listen(8081);

const news = new EventEmitter();
news.setMaxListeners(100); // want LK006 "news.setMaxListeners\\(\\) raises the limit"
function onConnection(socket) {
  news.on('item', (item) => socket.write(item));
}

class Hub extends EventEmitter {
  join(client) {
    this.setMaxListeners(this.getMaxListeners() + 1); // want LK006 "this.setMaxListeners\\(\\) raises the limit again"
    this.on('message', (m) => client.send(m));
  }
}

process.setMaxListeners(30); // want LK006 "process.setMaxListeners\\(\\) raises the limit"
function track(job) {
  process.on('exit', () => job.cancel());
}

const jobs = new EventEmitter();
function addJob(job) {
  jobs.setMaxListeners(jobs.getMaxListeners() + 2); // want LK006 "raises the limit again"
  jobs.on('done', job.onDone);
}

// --- not reported ---

// A fixed bound at load time on an emitter whose listeners go away.
const clean = new EventEmitter();
clean.setMaxListeners(50);
http.createServer((req, res) => {
  const onTick = (t) => res.write(String(t));
  clean.on('tick', onTick);
  res.on('close', () => clean.off('tick', onTick));
}).listen(8082);

// Raised once, at load time, from the current limit.
const workers = new EventEmitter();
workers.setMaxListeners(workers.getMaxListeners() + 4);

// The default or lower.
const quiet = new EventEmitter();
quiet.setMaxListeners(10);
http.createServer((req, res) => {
  quiet.on('x', () => res.end());
}).listen(8083);

// Sized by the work: not raised per call.
function fanOut(emitter, tasks) {
  emitter.setMaxListeners(tasks.length + 1);
  for (const t of tasks) emitter.once('go', t);
}

// A per-call emitter.
function perCall(handlers) {
  const local = new EventEmitter();
  local.setMaxListeners(local.getMaxListeners() + handlers.length);
  return local;
}

// Listeners added once, at load time.
const config = new EventEmitter();
config.setMaxListeners(40);
config.on('reload', () => {});
config.on('change', () => {});

// The limit of another emitter grows.
const a = new EventEmitter();
const b = new EventEmitter();
function mirror() {
  a.setMaxListeners(b.getMaxListeners());
}

module.exports = { subscribe, onConnection, Hub, track, addJob, fanOut, perCall, mirror };
