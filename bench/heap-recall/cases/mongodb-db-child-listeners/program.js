// The mongodb driver used per tenant: each request gets its database with
// db.db(name) from one long-lived Db. In 2.0.28, Db.prototype.db adds four
// once() listeners ('error', 'timeout', 'close', 'parseError') for the
// child to the parent Db on every call; 2.0.29 keeps the children in an
// array of the parent instead (which still grows with every call: the
// fixed version is expected to report that array). The Db is not
// connected: db() needs no server.
'use strict';
const { Db, Server } = require('mongodb');
const serve = require('./serve');

const main = new Db('app', new Server('127.0.0.1', 27017), { w: 1 });

serve((i) => {
  const tenant = main.db(`tenant_${i}`);
  return tenant.databaseName;
});
