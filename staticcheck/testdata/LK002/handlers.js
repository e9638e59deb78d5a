// Express-style handlers (CommonJS): listeners added per request.
const EventEmitter = require('events');
const fs = require('fs');
const express = require('express');

const bus = new EventEmitter();
const app = express();

// Module-level registration runs once: fine.
bus.on('boot', () => console.log('booted'));

app.get('/stream', (req, res) => {
  bus.on('tick', (t) => res.write(t)); // want LK002 `listener for "tick" added to long-lived bus on every request`
  process.on('exit', () => res.end()); // want LK002 "process"
});

app.get('/once', (req, res) => {
  bus.once('tick', (t) => res.end(String(t)));
});

app.get('/removed-on-close', (req, res) => {
  const onTick = (t) => res.write(t);
  bus.on('tick', onTick);
  res.on('close', () => bus.off('tick', onTick));
});

app.get('/removed-in-helper', (req, res) => {
  function onTick(t) {
    res.write(t);
  }
  bus.addListener('tick', onTick);
  req.on('close', () => {
    bus.removeListener('tick', onTick);
  });
});

app.get('/inline-twice', (req, res) => {
  bus.on('tick', (t) => res.write(t)); // want LK002 "inline function is a new listener each time"
  res.on('close', () => bus.off('tick', (t) => res.write(t)));
});

app.get('/per-call-objects', (req, res) => {
  req.on('data', (chunk) => chunk);
  res.on('finish', () => {});
  req.socket.on('close', () => {});
  const stream = fs.createReadStream(__filename);
  stream.on('data', (c) => res.write(c));
  stream.on('end', () => res.end());
});

app.post('/prepend', (req, res) => {
  bus.prependListener('tick', () => res.end()); // want LK002
});

app.use((req, res, next) => {
  // Returned or stored unsubscribe functions are the caller's to call.
  req.unsubscribe = bus.on('tick', next);
  next();
});

// A function called once from the top level runs once.
function wire() {
  bus.on('tick', (t) => console.log(t));
}
wire();

function main() {
  process.on('SIGINT', () => process.exit(0));
}
main();

module.exports = { app, bus };

// process.removeAllListeners() at shutdown does not bound the listeners
// added on every request before it.
function onRequest(req) {
  process.on('warning', () => console.log(req.url)); // want LK002 "process"
}
function shutdown() {
  process.removeAllListeners();
}
module.exports.onRequest = onRequest;
module.exports.shutdown = shutdown;

// Handlers kept in an object, stored on the app and read back where they
// are removed: the same functions.
function lift(sails) {
  const listeners = { sigint: () => sails.lower(), exit: () => sails.lower() };
  process.on('SIGINT', listeners.sigint); // removed in lower() below: fine
  process.on('exit', listeners.exit); // removed in lower() below: fine
  sails.processListeners = listeners;
}
function lower(sails) {
  const saved = sails.processListeners;
  process.removeListener('SIGINT', saved.sigint);
  process.removeListener('exit', saved.exit);
}
module.exports.lift = lift;
module.exports.lower = lower;

// A helper that listens on the emitter it is given: what counts is the
// emitter each call passes, and how often the call runs.
function watchUpgrades(server) {
  server.on('upgrade', onUpgrade); // want LK002 "on every call of watchUpgrades"
}
function watchBus(emitter) {
  emitter.on('tick', () => {}); // want LK002 "emitter"
}
function watchResponse(stream) {
  stream.on('drain', () => {}); // a per-call response: fine
}
function watchOnce(target) {
  target.on('warning', onUpgrade); // called once, at load: fine
}
function onUpgrade() {}
watchOnce(process);
app.get('/ws', (req, res) => {
  watchUpgrades(req.connection.server);
  watchBus(bus);
  watchResponse(res);
});

// Guarded by a flag that outlives the call: added once.
let upgradesWatched = false;
function watchUpgradesOnce(server) {
  if (!upgradesWatched) {
    server.on('upgrade', onUpgrade); // once, then the flag is set: fine
    upgradesWatched = true;
  }
}
// A flag local to the call guards nothing.
function watchUpgradesLocal(server) {
  let watched = false;
  if (!watched) {
    server.on('upgrade', onUpgrade); // want LK002 "watchUpgradesLocal"
    watched = true;
  }
}
app.get('/ws2', (req) => {
  watchUpgradesOnce(req.connection.server);
  watchUpgradesLocal(req.connection.server);
});
