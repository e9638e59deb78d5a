// Per-connection state in a CommonJS TCP server.
const net = require('net');

const buffers = new Map();
const authenticated = new Set();
const greeted = new WeakSet();

const server = net.createServer((socket) => {
  buffers.set(socket, []); // want LK007 "buffers"
  socket.on('data', (chunk) => {
    buffers.get(socket).push(chunk);
    if (!authenticated.has(socket) && chunk.toString() === 'hello') {
      authenticated.add(socket); // want LK007 "authenticated"
    }
    if (!greeted.has(socket)) greeted.add(socket);
  });
});

module.exports = server;
