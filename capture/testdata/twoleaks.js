// A small HTTP server with one leak — every request's session is kept in
// the sessions array — and, with LEAKLS_TEST_SECOND_LEAK=1, a second one:
// an audit entry per request kept in a Map. The objects kept hold only
// numbers, and are of different classes, so that each leak is one
// cluster; every response closes its connection, so that no keep-alive
// socket of Node's is left waiting between the snapshots.
'use strict';
const http = require('node:http');

const sessions = [];
const audit = new Map();
let requests = 0;

class AuditEntry {
  constructor(id) {
    this.id = id;
    this.detail = new Array(64).fill(id);
  }
}

const server = http.createServer((req, res) => {
  requests++;
  sessions.push({ id: requests, samples: new Array(64).fill(requests) });
  if (process.env.LEAKLS_TEST_SECOND_LEAK === '1') {
    audit.set(requests, new AuditEntry(requests));
  }
  res.setHeader('Connection', 'close');
  res.end('ok\n');
});

server.listen(0, '127.0.0.1', () => {
  console.log(`listening on http://127.0.0.1:${server.address().port}/`);
});
