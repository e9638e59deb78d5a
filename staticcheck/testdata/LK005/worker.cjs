// A job runner written as a sloppy CommonJS module.
const { parentPort } = require('node:worker_threads');

function start() {
  ticker = setInterval(poll, 1000); // want LK005 "ticker"
}

function poll() {
  results = fetchAll(); // want LK005 "results"
  parentPort.postMessage(results.length);
}

function fetchAll() {
  var list = [];
  for (n = 0; n < 10; n++) list.push(n); // want LK005 "n"
  return list;
}

parentPort.on('message', function (msg) {
  lastMessage = msg; // want LK005 "lastMessage"
});

module.exports = { start };
