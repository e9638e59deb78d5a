'use strict';
// Upgrade handlers that are methods passed to the server, or functions
// called from one, keeping the head (CommonJS).
const http = require('http');

class WsServer {
  constructor(server) {
    this.server = server;
    server.on('upgrade', this.onUpgrade.bind(this));
    server.addListener('upgrade', this.handle);
  }

  onUpgrade(req, socket, head) {
    this.pendingHead = head; // want LK009 "this.pendingHead keeps head, the head of an HTTP upgrade received by onUpgrade\\(\\)"
    req.upgradeHead = head; // want LK009 "req.upgradeHead keeps head"
    socket.pause();
  }

  handle(req, socket, head) {
    socket.head = head; // want LK009
    req.meta = { when: Date.now() };
    req.meta.head = head; // want LK009 "req.meta.head keeps head"
  }
}

// A chain of two helpers.
function attach(server) {
  server.on('upgrade', function (req, socket, head) {
    route(req, socket, head);
  });
}

function route(req, socket, head) {
  accept(req, socket, head);
}

function accept(req, socket, head) {
  req.head = head; // want LK009 "req.head keeps head, the head of an HTTP upgrade received by accept\\(\\)"
  socket.resume();
}

// Through a prototype method with self.
function Upgrader(server) {
  const self = this;
  server.prependListener('upgrade', (req, socket, head) => self.upgrade(req, socket, head));
}

Upgrader.prototype.upgrade = function (req, socket, head) {
  this.last = { req, socket };
  this.lastHead = head; // want LK009
  socket.data = head; // want LK009
};

// A subscript on the request.
const kHead = Symbol('head');
http.createServer().on('upgrade', (req, socket, head) => {
  req[kHead] = head; // want LK009 "req\\[kHead\\] keeps head"
});

module.exports = { WsServer, attach, Upgrader };
