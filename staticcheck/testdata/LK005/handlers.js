// A CommonJS module without 'use strict': every undeclared assignment
// creates a property of the global object.
const http = require('http');

function handle(req, res) {
  body = []; // want LK005 "body"
  req.on('data', (chunk) => body.push(chunk));
  req.on('end', () => {
    payload = Buffer.concat(body); // want LK005 "payload"
    res.end(payload);
  });
}

function sum(list) {
  var total = 0;
  for (i = 0; i < list.length; i++) { // want LK005 "i"
    total += list[i];
  }
  return total;
}

function copy(src) {
  var out = {};
  for (key in src) { // want LK005 "key"
    out[key] = src[key];
  }
  return out;
}

function init() {
  var first = second = 0; // want LK005 "second"
  return first + second;
}

function split(pair) {
  var tail;
  [head, tail] = pair; // want LK005 "head"
  return head + tail;
}

function pick(opts) {
  var port;
  ({ host, port } = opts); // want LK005 "host"
  return host + ':' + port;
}

http.createServer(handle).listen(0);
module.exports = { sum, copy, init, split, pick };
