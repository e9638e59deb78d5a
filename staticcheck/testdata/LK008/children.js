'use strict';
// A method that makes a child and returns it, with listeners on the
// parent that hold the child (CommonJS, prototype methods).
const EventEmitter = require('events');
const util = require('util');

// mongodb 2.0.28's Db.prototype.db: four listeners on the parent per child.
function Db(name, topology, options) {
  EventEmitter.call(this);
  this.name = name;
  this.topology = topology;
  this.options = options || {};
}
util.inherits(Db, EventEmitter);

const createListener = function (self, e, object) {
  return function (err) {
    if (e !== 'error') object.emit(e, err, self);
  };
};

Db.prototype.db = function (dbName) {
  const options = Object.assign({}, this.options, { parentDb: this });
  var db = new Db(dbName, this.topology, options);
  this.once('error', createListener(this, 'error', db)); // want LK008 "listener for \"error\" added to this in db\\(\\) holds the Db that db\\(\\) makes and returns"
  this.once('timeout', createListener(this, 'timeout', db)); // want LK008 "listener for \"timeout\""
  this.once('close', createListener(this, 'close', db)); // want LK008
  this.once('parseError', createListener(this, 'parseError', db)); // want LK008
  return db;
};

// An inline handler that reads the child.
function Pool() {
  EventEmitter.call(this);
}
util.inherits(Pool, EventEmitter);

Pool.prototype.lease = function () {
  const conn = new Connection(this);
  this.on('drain', () => conn.release()); // want LK008 "listener for \"drain\" added to this in lease\\(\\) holds the Connection"
  return conn;
};

// A bound method of the child.
Pool.prototype.session = function () {
  const session = new Session();
  this.addListener('reset', session.reset.bind(session)); // want LK008
  return session;
};

function Connection(pool) {
  this.pool = pool;
}
Connection.prototype.release = function () {};

function Session() {}
Session.prototype.reset = function () {};

module.exports = { Db, Pool };

// With self = this kept for the handler, and a handler made by a helper
// method of the child's class.
function Topology() {
  EventEmitter.call(this);
}
util.inherits(Topology, EventEmitter);

Topology.prototype.cursor = function (ns) {
  var self = this;
  var cursor = new Cursor(ns, self);
  this.once('destroy', Cursor.killer(cursor)); // want LK008 "holds the Cursor that cursor\\(\\) makes and returns"
  this.on('topologyDescriptionChanged', function (event) { // want LK008
    cursor.refresh(event);
  });
  return cursor;
};

function Cursor(ns, topology) {
  this.ns = ns;
  this.topology = topology;
}
Cursor.killer = function (cursor) {
  return function () {
    cursor.kill();
  };
};
Cursor.prototype.kill = function () {};
Cursor.prototype.refresh = function () {};

// The parent takes its 'close' listeners off only when it closes itself:
// the children made until then stay.
function Server() {
  EventEmitter.call(this);
}
util.inherits(Server, EventEmitter);

Server.prototype.session = function () {
  const session = new Session();
  this.once('close', () => session.reset()); // want LK008 "listener for \"close\" added to this in session\\(\\) holds the Session"
  return session;
};

Server.prototype.close = function () {
  this.emit('close');
  this.removeAllListeners('close');
};

// A comment between return and the child does not hide it.
function Hub() {
  EventEmitter.call(this);
}
util.inherits(Hub, EventEmitter);

Hub.prototype.channel = function (name) {
  const ch = new Channel(name);
  this.on('message', (m) => ch.push(m)); // want LK008 "listener for \"message\" added to this in channel\\(\\) holds the Channel"
  return /* the caller owns it */ ch;
};
