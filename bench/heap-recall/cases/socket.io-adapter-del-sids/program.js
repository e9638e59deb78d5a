// A socket.io 2 chat server whose clients join a room and leave it in
// their 'disconnect' handler (socket.leave(room) after the socket has
// closed). socket.io-adapter 1.1.1's del() runs
// this.sids[id] = this.sids[id] || {} before deleting the room, so a leave
// after the disconnect re-creates the entry of a socket that is gone:
// one per connection, forever. 1.1.2 only deletes when the entry exists.
// Every step connects one socket.io-client over localhost and closes it.
'use strict';
const http = require('http');
const socketio = require('socket.io');
const client = require('socket.io-client');
const serve = require('./serve');

const chat = http.createServer();
const io = socketio(chat, { transports: ['websocket'] });
let disconnected = () => {};

io.on('connection', (socket) => {
  socket.join('lobby');
  socket.on('disconnect', () => {
    socket.leave('lobby');
    disconnected();
  });
});

chat.listen(0, '127.0.0.1', () => {
  const url = `http://127.0.0.1:${chat.address().port}`;
  serve(() => new Promise((resolve, reject) => {
    const c = client(url, { transports: ['websocket'], forceNew: true, reconnection: false });
    c.on('connect_error', reject);
    c.on('connect', () => {
      disconnected = resolve;
      c.close();
    });
  }));
});
