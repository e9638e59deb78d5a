// CommonJS callers of follow.cjs: what they hand over, and how often.
const { EventEmitter } = require('events');
const http = require('http');
const helpers = require('./follow.cjs');
const { follow, tail, watchServer, onWarning, drain, report, subscribe, bridge, watchOnce } = require('./follow.cjs');
const { bus } = require('./bus.cjs');

const feed = new EventEmitter();
report(feed);

http.createServer((req, res) => {
  follow(feed, res);
  helpers.tail(process.stdin, res);
  watchServer(req.socket.server, res);
  onWarning(process, []);
  drain(req, res);
  const off = subscribe(bus, () => res.write('.'));
  res.on('close', off);
  bridge(new EventEmitter(), res);
  watchOnce(feed);
}).listen(8080);

// Only once, when the server closes.
const server = http.createServer();
server.on('close', () => follow(feed, process.stdout));
