'use strict';
// Upgrade heads that are not kept. None is reported.
const http = require('http');

// socket.io 0.9.14: cleared after use.
function Manager(server) {
  const self = this;
  server.on('upgrade', function (req, socket, head) {
    self.handleUpgrade(req, socket, head);
  });
}

Manager.prototype.handleUpgrade = function (req, socket, head) {
  req.head = head;
  this.handleClient(req);
  req.head = null;
};

Manager.prototype.handleClient = function () {};

// engine.io 1.4.0: a copy is kept; ws's handleUpgrade reads it at once.
const server = http.createServer();
server.on('upgrade', (req, socket, upgradeHead) => {
  const head = Buffer.from(upgradeHead);
  req.head = Buffer.from(upgradeHead);
  wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
});

// Not an upgrade: a 'data' chunk is the parser's business, and the third
// parameter of another event is no head.
server.on('connect', (req, socket, head) => {
  req.head = head;
});

server.on('upgrade', (req, socket) => {
  socket.head = req.headers.upgrade;
});

// Kept in a local variable only.
server.on('upgrade', (req, socket, head) => {
  const local = { head };
  socket.end(local.head);
});

const wss = { handleUpgrade() {}, emit() {} };
module.exports = Manager;

// Kept in a variable of the module? No: assigned to a local object made
// in the call, which dies with it.
server.on('upgrade', (req, socket, head) => {
  const ctx = {};
  ctx.head = head;
  socket.end(ctx.head);
});

// Cleared with delete by the code that reads it.
function Relay(srv) {
  srv.on('upgrade', (req, socket, head) => {
    req.bufferedHead = head;
    Relay.flush(req);
  });
}
Relay.flush = function (req) {
  delete req.bufferedHead;
};
module.exports.Relay = Relay;
