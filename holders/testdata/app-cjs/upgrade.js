'use strict';
// http-proxy-middleware 0.17's shape: an upgrade handler debounced by a
// library (node_modules/debouncer, as lodash's debounce) kept in a
// variable and registered on the server on every request.
const http = require('node:http');
const debounce = require('debouncer');

const server = http.createServer();
server.setMaxListeners(0);

class Proxy {
  constructor(id) {
    this.id = id;
  }
}

exports.proxy = function proxy(id) {
  const target = new Proxy(id);
  function handleUpgrade() {
    target.id++;
  }
  const onUpgrade = debounce(handleUpgrade, 10);
  server.on('upgrade', onUpgrade); // want LK102 "server.on("
};
