// Pre-class code: a constructor function and the methods assigned to its
// prototype are one type, with the same set-up and teardown.
var EventEmitter = require('events').EventEmitter;
var util = require('util');

function Pool(server, registry) {
  EventEmitter.call(this);
  var self = this;
  this.server = server;
  this.registry = registry;
  this.onConnection = function (socket) { self.add(socket); };
  server.on('connection', this.onConnection);
  server.on('error', function (err) { self.emit('error', err); }); // want LK008 "listener for \"error\" added to server in Pool\\(\\) is not removed by destroy\\(\\)"
  registry.push(this); // want LK008 "Pool instance put in registry in Pool\\(\\) is deleted elsewhere but not by destroy\\(\\)"
}
util.inherits(Pool, EventEmitter);

Pool.prototype.add = function () {};

Pool.prototype.start = function () {
  this.reaper = setInterval(this.reap.bind(this), 1000); // want LK008 "timer this.reaper started in start\\(\\) is cleared elsewhere but not by destroy\\(\\)"
  this.server.on('listening', this.onListening.bind(this)); // want LK008 "removed in destroy\\(\\) with another function \\(.bind\\(\\) makes"
};

Pool.prototype.reap = function () {};
Pool.prototype.onListening = function () {};

Pool.prototype.pause = function () {
  clearInterval(this.reaper);
  this.registry.splice(this.registry.indexOf(this), 1);
};

Pool.prototype.destroy = function () {
  this.server.removeListener('connection', this.onConnection);
  this.server.removeListener('listening', this.onListening.bind(this));
};

// Symmetric pre-class code.
function Watcher(fsWatcher) {
  this.fsWatcher = fsWatcher;
  this.onChange = this.changed.bind(this);
  fsWatcher.on('change', this.onChange);
}

Watcher.prototype.changed = function () {};

Watcher.prototype.close = function () {
  this.fsWatcher.removeListener('change', this.onChange);
};

// A plain function with no prototype is not a type.
function attach(server) {
  server.on('error', function () {});
  server.removeListener('close', attach);
}

module.exports = { Pool: Pool, Watcher: Watcher, attach: attach };
