// nodemailer resolving the SMTP host of a different tenant on every
// message: shared.resolveHostname() (what nodemailer's SMTP connection
// calls before connecting) caches every answer in the module-level
// dnsCache Map. 7.0.6 never removes an entry; 7.0.7 sweeps expired entries
// and caps the size. The DNS resolver is stubbed in-process (every name
// resolves to 127.0.0.1), so nothing is looked up on the network.
'use strict';
const dns = require('dns');
const serve = require('./serve');

dns.Resolver.prototype.resolve4 = function resolve4(hostname, callback) {
  setImmediate(callback, null, ['127.0.0.1']);
};

const shared = require('nodemailer/lib/shared');

serve((i) => new Promise((resolve, reject) => {
  shared.resolveHostname({ host: `smtp.tenant-${i}.example` }, (err) => (err ? reject(err) : resolve()));
}));
