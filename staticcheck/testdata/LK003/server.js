// CommonJS HTTP handlers with per-request timers.
const http = require('http');
const { setInterval: every } = require('timers');

const clients = new Set();

const server = http.createServer((req, res) => {
  setInterval(() => res.write('ping\n'), 1000); // want LK003 "handle discarded"
  const poll = setInterval(() => res.write(String(Date.now())), 500); // want LK003 "interval poll is never cleared"
  const beat = setInterval(() => res.write(':\n'), 15000);
  res.on('close', () => clearInterval(beat));
  const t = setInterval(() => {
    if (res.writableEnded) clearInterval(t);
  }, 100);
  every(() => res.write('x'), 10); // want LK003
  setTimeout(() => res.end(), 30000); // a one-shot timeout: fine
  setInterval(() => clients.size, 1000).unref(); // want LK003 "on every request"
});

// Module-level background timers.
setInterval(() => console.log(clients.size), 60000).unref();
setInterval(() => console.log('stats'), 60000); // want LK003 "module-level setInterval"
const sweeper = setInterval(() => clients.clear(), 1000); // want LK003 "interval sweeper is never cleared nor unref"
const flusher = setInterval(() => {}, 1000);
flusher.unref();
const janitor = setInterval(() => {}, 1000);
process.on('SIGTERM', () => clearInterval(janitor));

server.listen(8080);
module.exports = { server };
