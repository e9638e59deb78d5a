'use strict';
// Listeners made by factories, registered on every request: mongodb 2.0's
// Db, whose db() registers a listener on the parent Db with a factory (the
// parent's listeners are the growth site: this.once in a method of Db, the
// emitter's class), and
// mongoose's `doc.on('save', arr.notify('save'))`, whose method returns
// the listener.
const { EventEmitter } = require('node:events');
const util = require('node:util');

var createListener = function (self, e, object) {
  var listener = function (err) {
    if (e !== 'error') object.emit(e, err, self);
  };
  return listener;
};

function Db(name, topology) {
  EventEmitter.call(this);
  this.setMaxListeners(0);
  this.name = name;
  this.topology = topology;
}
util.inherits(Db, EventEmitter);

Db.prototype.db = function (name) {
  var db = new Db(name, this.topology);
  this.once('close', createListener(this, 'close', db)); // want LK102 "this.once("
  return db;
};

const topology = new EventEmitter();
topology.setMaxListeners(0);
const main = new Db('main', topology);

function DocArray(id) {
  this.id = id;
}

DocArray.prototype.notify = function notify(event) {
  var self = this;
  return function notify(val) {
    self.id = event + val;
  };
};

const doc = new EventEmitter();
doc.setMaxListeners(0);

exports.db = function db(id) {
  main.db('child' + id);
  const arr = new DocArray(id);
  doc.on('save', arr.notify('save')); // want LK102 "doc.on("
};
