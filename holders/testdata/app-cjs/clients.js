'use strict';
// engine.io's shape: a constructor function whose prototype method keeps
// every client in an object keyed by id, through `self`.
class Client {
  constructor(id) {
    this.id = id;
  }
}

function Server() {
  this.clients = {};
  this.clientsCount = 0;
}

Server.prototype.handshake = function (id) {
  var self = this;
  var client = new Client(id);
  self.clients[id] = client; // want LK104 "self.clients[id] = client"
  self.clientsCount++;
};

Server.prototype.close = function (id) {
  this.clientsCount--;
};

const server = new Server();

exports.connect = function connect(id) {
  server.handshake(id);
};
