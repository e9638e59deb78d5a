const http = require('http');

const seenRequests = new WeakSet();
const started = new Map();

http.createServer((req, res) => {
  started.set(req, Date.now()); // want LK007 "started"
  seenRequests.add(req);
  res.end();
});

function half(a, {
  return a +
}
