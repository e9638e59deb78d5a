// pg-cursor used for statements that return no rows (an INSERT without
// RETURNING) on one long-lived pg.Client. In 2.5.2, Cursor.submit() adds
// con.once('noData', ...) and con.once('rowDescription', ...) to the
// connection; when the server answers NoData, the 'rowDescription'
// listener (bound to the cursor, with its result) stays on the connection:
// one per statement. 2.6.0 removes it in _ifNoData(). The "PostgreSQL
// server" is a local stub that speaks just enough of the protocol for the
// extended query flow of one statement without rows.
'use strict';
const net = require('net');
const { Client } = require('pg');
const Cursor = require('pg-cursor');
const serve = require('./serve');

// message builds one backend message: type byte, length, body.
function message(type, body = Buffer.alloc(0)) {
  const head = Buffer.alloc(5);
  head.write(type, 0);
  head.writeInt32BE(body.length + 4, 1);
  return Buffer.concat([head, body]);
}
const int32 = (n) => { const b = Buffer.alloc(4); b.writeInt32BE(n); return b; };
const cstring = (s) => Buffer.from(`${s}\0`);
const REPLIES = {
  P: () => message('1'), // ParseComplete
  B: () => message('2'), // BindComplete
  D: () => message('n'), // NoData: the statement returns no rows
  E: () => message('C', cstring('INSERT 0 1')),
  C: () => message('3'), // CloseComplete
  S: () => message('Z', Buffer.from('I')), // ReadyForQuery
  Q: () => Buffer.concat([message('C', cstring('SELECT 0')), message('Z', Buffer.from('I'))]),
};

const postgres = net.createServer((socket) => {
  let buf = Buffer.alloc(0);
  let started = false;
  socket.on('data', (data) => {
    buf = Buffer.concat([buf, data]);
    for (;;) {
      if (!started) {
        if (buf.length < 4 || buf.length < buf.readInt32BE(0)) return;
        buf = buf.subarray(buf.readInt32BE(0));
        started = true;
        socket.write(Buffer.concat([message('R', int32(0)), message('Z', Buffer.from('I'))]));
        continue;
      }
      if (buf.length < 5 || buf.length < 1 + buf.readInt32BE(1)) return;
      const type = String.fromCharCode(buf[0]);
      buf = buf.subarray(1 + buf.readInt32BE(1));
      if (type === 'X') return socket.end();
      if (REPLIES[type]) socket.write(REPLIES[type]());
    }
  });
});

postgres.listen(0, '127.0.0.1', async () => {
  const client = new Client({ host: '127.0.0.1', port: postgres.address().port, user: 'app', database: 'app' });
  await client.connect();
  serve((i) => new Promise((resolve, reject) => {
    const cursor = client.query(new Cursor('INSERT INTO audit (entry) VALUES ($1)', [`entry ${i}`]));
    cursor.read(10, (err) => {
      if (err) return reject(err);
      cursor.close((err) => (err ? reject(err) : resolve()));
    });
  }));
});
