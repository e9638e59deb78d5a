'use strict';
// Listeners made by factories, registered on every request: mongodb's
// `this.once('close', createListener(this, 'close', db))` and mongoose's
// `doc.on('save', arr.notify('save'))`, whose method returns the listener.
const { EventEmitter } = require('node:events');

const topology = new EventEmitter();
topology.setMaxListeners(0);
const doc = new EventEmitter();
doc.setMaxListeners(0);

class Db {
  constructor(id) {
    this.id = id;
  }
}

var createListener = function (self, e, object) {
  var listener = function (err) {
    if (e !== 'error') object.id = err;
  };
  return listener;
};

function DocArray(id) {
  this.id = id;
}

DocArray.prototype.notify = function notify(event) {
  var self = this;
  return function notify(val) {
    self.id = event + val;
  };
};

exports.db = function db(id) {
  const child = new Db(id);
  topology.once('close', createListener(topology, 'close', child)); // want LK102 "topology.once("
  const arr = new DocArray(id);
  doc.on('save', arr.notify('save')); // want LK102 "doc.on("
};
