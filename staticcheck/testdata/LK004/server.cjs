// A socket server keeping per-connection closures in a module-level map.
const net = require('net');

const sessions = new Map();
const TEN_MINUTES = 10 * 60 * 1000;

net.createServer((conn) => {
  sessions.set(conn.remotePort, () => conn.remoteAddress); // want LK004 "conn.remoteAddress"
  setTimeout(() => conn.destroy(), TEN_MINUTES);
  conn.on('data', (chunk) => {
    setTimeout(() => console.log(chunk.length), TEN_MINUTES); // want LK004 "10-minute"
  });
  conn.once('close', () => sessions.delete(conn.remotePort));
}).listen(9000);
