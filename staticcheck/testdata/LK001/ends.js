// CommonJS. Entries deleted in a helper that only some end handlers call.
const http = require('http');

const inflight = new Map();
http.createServer((req, res) => {
  const id = req.headers['x-id'];
  function forget() {
    inflight.delete(id);
  }
  inflight.set(id, Date.now()); // want LK001 "Map \"inflight\" grows on every call \\(.set\\(\\)\\) and its entries are deleted in the \"finish\" handler of res but not in its \"error\" handler"
  res.on('finish', () => forget());
  res.on('error', () => res.destroy());
}).listen(8080);

const pending = {};
module.exports.request = function (url) {
  const request = new XMLHttpRequest();
  function done() {
    delete pending[url];
  }
  pending[url] = request; // want LK001 "object \"pending\" grows on every call .* deleted in the onload handler of request but not in its onerror and ontimeout handlers"
  request.onload = () => done();
  request.onerror = () => console.error(url);
  request.ontimeout = () => console.error(url);
  request.send();
};

// Every end deletes.
const active = new Map();
http.createServer((req, res) => {
  const id = req.headers['x-id'];
  const forget = () => active.delete(id);
  active.set(id, res);
  res.on('finish', () => forget());
  res.on('error', () => forget());
}).listen(8081);
