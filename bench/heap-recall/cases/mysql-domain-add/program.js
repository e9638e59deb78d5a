// mysql connections opened inside a long-running domain (the pattern of
// servers that run each worker loop in one domain). In 2.12.0,
// Connection.connect() calls this.domain.add(this._socket), which pushes
// every socket onto the domain's members array for as long as the domain
// lives; 2.13.0 sets socket.domain instead. The "MySQL server" is a local
// TCP server that closes each connection, so each connect() fails fast.
'use strict';
const domain = require('domain');
const net = require('net');
const mysql = require('mysql');
const serve = require('./serve');

const db = net.createServer((socket) => socket.destroy());
const worker = domain.create();
worker.on('error', () => {});

db.listen(0, '127.0.0.1', () => {
  const port = db.address().port;
  serve(() => new Promise((resolve) => {
    worker.run(() => {
      const connection = mysql.createConnection({ host: '127.0.0.1', port, user: 'app' });
      connection.connect(() => {
        connection.destroy();
        resolve();
      });
    });
  }));
});
