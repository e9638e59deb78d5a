'use strict';
// once() removes a listener when its event comes. For events that may never
// come (close, error, exit, abort …) on an emitter that lives on, each run
// still adds one more listener.
const EventEmitter = require('events');

class Db extends EventEmitter {
  constructor(name) {
    super();
    this.name = name;
    // Once per instance: fine.
    this.once('close', () => this.cleanup());
  }

  // Every child adds once-listeners to the long-lived parent.
  db(name) {
    const child = new Db(name);
    this.once('close', () => child.emit('close')); // want LK002 `once-listener for "close" added to long-lived this on every call of db\(\)`
    this.once('error', (err) => child.emit('error', err)); // want LK002 "it stays until that event, which may never come"
    this.on('timeout', () => child.emit('timeout')); // want LK002 `listener for "timeout" added to long-lived this`
    return child;
  }

  // once() for an event that will come removes itself: fine.
  whenResult(id, cb) {
    this.once('result:' + id, cb);
  }
  nextMessage(cb) {
    this.once('message', cb);
  }

  // Set-up methods by name run once per instance: fine on the instance,
  // but process outlives every instance of an exported class.
  start() {
    this.once('close', () => this.cleanup());
    process.once('exit', () => this.cleanup()); // want LK002 `once-listener for "exit" added to long-lived process by start\(\) of every Db instance`
  }
  cleanup() {}

  // Removed with the same function: fine.
  watch(cb) {
    this.on('close', cb);
    return () => this.removeListener('close', cb);
  }

  // A stream of the instance fires "close" once and is gone after it.
  pipeTo(stream) {
    this.stream = stream;
    this.stream.once('close', () => this.emit('detached'));
  }

  // process lives as long as the program: once('exit') per call piles up.
  query(sql, cb) {
    process.once('exit', () => cb(new Error('exiting'))); // want LK002 `once-listener for "exit" added to long-lived process on every call of query\(\)`
  }

  // { once: true } for a terminal event on the window: the same.
  render(el) {
    window.addEventListener('unload', () => el.remove(), { once: true }); // want LK002 "once-listener"
  }
}

// `this` in methods assigned to a prototype is not followed (in old-style
// code most of them run once per instance): not reported.
function Pool() {
  EventEmitter.call(this);
}
Pool.prototype.acquire = function () {
  this.once('close', () => {});
};

module.exports = { Db, Pool };

// Set-up functions by name run once, also when assigned to an export.
module.exports.attachSignals = function () {
  process.on('SIGINT', () => process.exit(1));
};
module.exports.handle = function () {
  process.on('SIGINT', () => process.exit(1)); // want LK002 `on every call of handle\(\)`
};
