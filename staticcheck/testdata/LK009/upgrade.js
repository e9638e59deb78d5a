'use strict';
// The head of an HTTP upgrade kept on an object that outlives the call.
const http = require('http');

// socket.io 0.9.13's Manager: the listener hands the head to a method,
// which keeps it on the request for the connection's lifetime.
function Manager(server) {
  const self = this;
  server.on('upgrade', function (req, socket, head) {
    self.handleUpgrade(req, socket, head);
  });
}

Manager.prototype.handleUpgrade = function (req, socket, head) {
  const data = this.checkRequest(req);
  if (!data) {
    socket.end();
    return;
  }
  req.head = head; // want LK009 "req.head keeps head, the head of an HTTP upgrade received by handleUpgrade\\(\\)"
  this.handleClient(data, req);
};

Manager.prototype.checkRequest = function (req) {
  return req.url;
};

Manager.prototype.handleClient = function () {};

// The listener itself keeps it on the socket.
const server = http.createServer();
server.on('upgrade', (req, socket, head) => {
  socket.upgradeHead = head; // want LK009 "socket.upgradeHead keeps head"
  socket.write('HTTP/1.1 101 Switching Protocols\r\n\r\n');
});

// On the instance, through a named listener.
function Proxy() {}
Proxy.prototype.attach = function (srv) {
  srv.on('upgrade', onUpgrade);
  const proxy = this;
  function onUpgrade(req, socket, bufferedHead) {
    proxy.pending = { req, socket };
    req.bufferedHead = bufferedHead; // want LK009
  }
};

module.exports = Manager;
