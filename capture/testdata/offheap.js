// A server that keeps a 256 KiB Buffer per request: the leak is outside
// the JavaScript heap.
'use strict';
const http = require('node:http');

const buffers = [];
const server = http.createServer((req, res) => {
  buffers.push(Buffer.alloc(256 * 1024, 1));
  res.end('ok\n');
});
server.listen(0, '127.0.0.1', () => {
  console.log(`listening on http://127.0.0.1:${server.address().port}/`);
});
