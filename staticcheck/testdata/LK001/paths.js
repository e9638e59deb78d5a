// CommonJS. Entries of a module-level collection deleted on one way out
// only: the others leave their entry for good.
const http = require('http');
const net = require('net');

const inflight = new Map();
http.createServer((req, res) => {
  inflight.set(req.headers['x-id'], Date.now()); // want LK001 "Map \"inflight\" grows on every call \\(.set\\(\\)\\) and its entries are deleted on \"end\" of req but not when req errors or is destroyed first"
  req.on('end', () => inflight.delete(req.headers['x-id']));
}).listen(8080);

const bytes = {};
http.createServer((req, res) => {
  bytes[req.url] = 0; // want LK001 "object \"bytes\" grows on every call .* deleted on \"finish\" of res"
  res.on('finish', () => {
    delete bytes[req.url];
  });
}).listen(8081);

const pending = new Map();
let nextId = 0;
async function call(channel, msg) {
  const id = nextId++;
  pending.set(id, msg); // want LK001 "deleted after `await channel.send\\(msg\\)` but not when it throws \\(delete the entry in a finally block\\)"
  const reply = await channel.send(msg);
  pending.delete(id);
  return reply;
}

const jobs = new Map();
function schedule(job) {
  jobs.set(job.id, job); // want LK001 "deleted further down but not when an early return leaves the function first"
  if (job.once) {
    return job.run();
  }
  job.run();
  jobs.delete(job.id);
}

const clients = new Set();
net.createServer((socket) => {
  const name = socket.remoteAddress + ':' + socket.remotePort;
  clients.add(name); // want LK001 "Set \"clients\" .* deleted on \"end\" of socket"
  function leave() {
    clients.delete(name);
  }
  socket.on('end', leave);
}).listen(8082);

const running = new Map();
function start(task) {
  running.set(task.name, task); // want LK001 "deleted further down but not when an early throw leaves the function first"
  if (!task.valid) throw new Error('invalid task');
  task.execute();
  running.delete(task.name);
}

// --- not reported ---

const open = new Map();
http.createServer((req, res) => {
  open.set(req.url, Date.now());
  res.on('close', () => open.delete(req.url));
}).listen(8083);

const both = new Map();
http.createServer((req, res) => {
  both.set(req.url, Date.now());
  req.on('end', () => both.delete(req.url));
  req.on('error', () => both.delete(req.url));
}).listen(8084);

const calls = new Map();
async function safeCall(channel, msg) {
  const id = nextId++;
  calls.set(id, msg);
  try {
    return await channel.send(id, msg);
  } finally {
    calls.delete(id);
  }
}

const queued = new Map();
function enqueue(job) {
  if (job.done) {
    return;
  }
  queued.set(job.id, job);
  job.run();
  queued.delete(job.id);
}

const waiters = new Map();
function wait(id, cb) {
  waiters.set(id, cb);
}
function resolve(id, value) {
  const cb = waiters.get(id);
  waiters.delete(id);
  cb(value);
}

const seen = {};
function mark(key) {
  seen[key] = true;
  setTimeout(() => {
    delete seen[key];
  }, 1000);
}

const rooms = new Map();
net.createServer((socket) => {
  const room = socket.remoteAddress;
  rooms.set(room, socket);
  socket.on('close', () => rooms.delete(room));
}).listen(8085);

const tasks = new Map();
function runSync(task) {
  tasks.set(task.id, task);
  task.execute();
  tasks.delete(task.id);
}

module.exports = { call, schedule, start, safeCall, enqueue, wait, resolve, mark, runSync };
