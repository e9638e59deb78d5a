// CommonJS. Timers cleared in a helper that only some end handlers call.
const net = require('net');

net.createServer((socket) => {
  const ping = setInterval(() => socket.write('ping'), 5000); // want LK003 "interval ping started on every .* is cleared in the \"end\" handler of socket but not in its \"error\" and \"timeout\" handlers"
  function stop() {
    clearInterval(ping);
  }
  socket.on('end', () => stop());
  socket.on('error', () => socket.destroy());
  socket.on('timeout', () => socket.destroy());
}).listen(8082);

// Cleared on 'close', which comes on every path.
net.createServer((socket) => {
  const beat = setInterval(() => socket.write('beat'), 5000);
  const stop = () => clearInterval(beat);
  socket.on('close', () => stop());
  socket.on('error', () => socket.destroy());
}).listen(8083);
