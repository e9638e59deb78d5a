// Express-style handlers (CommonJS) whose closures outlive the request.
const EventEmitter = require('events');
const app = require('express')();

const bus = new EventEmitter();
const pending = [];
const callbacks = new Map();
const handlers = {};
const config = { retries: 3 };

function audit(value) {
  return value;
}

app.post('/upload', (req, res) => {
  setTimeout(() => audit(req.headers['user-agent']), 60000); // want LK004 "1-minute timeout captures the whole req but only reads req.headers"
  setTimeout(() => console.log(req.id), 5 * 60 * 1000); // want LK004 "5-minute timeout"
  setTimeout(() => res.end(), 60000); // needs res itself
  setTimeout(() => console.log(req.id), 100); // short timeout
  pending.push(() => console.log(req.url)); // want LK004 "collection pending"
  callbacks.set(req.id, () => console.log(res.statusCode)); // want LK004 "res.statusCode"
  handlers[req.id] = () => req.method; // want LK004 "object handlers"
  bus.once('shutdown', () => console.log(req.url)); // want LK004 "once-listener"
  const local = [];
  local.push(() => req.url); // a per-call collection dies with the call
  pending.push(() => audit(req)); // uses the whole request
  pending.push({ id: req.id, done: () => res.statusCode }); // want LK004 "res.statusCode"
  req.once('end', () => console.log(res.statusCode)); // a per-call emitter
  const onTimeout = () => console.log(req.url); // a local closure
  onTimeout();
});

setTimeout(() => console.log(config.retries), 60000); // module-level data

module.exports = { app };
