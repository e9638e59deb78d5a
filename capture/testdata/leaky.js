// A small HTTP server that keeps every request's session forever: the
// sessions array grows by one object per request. With
// LEAKLS_TEST_FIXED=1 it is the fixed twin, which keeps nothing.
'use strict';
const http = require('node:http');

const sessions = [];

class Session {
  constructor(url) {
    this.url = url;
    this.samples = Array.from({ length: 64 }, (_, i) => i * Math.random());
  }
}

const server = http.createServer((req, res) => {
  if (process.env.LEAKLS_TEST_FIXED !== '1') {
    sessions.push(new Session(req.url));
  } else {
    new Session(req.url);
  }
  res.end('ok\n');
});

server.listen(0, '127.0.0.1', () => {
  console.log(`listening on http://127.0.0.1:${server.address().port}/`);
});
