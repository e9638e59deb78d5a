// A service with raven's automatic breadcrumbs for outgoing HTTP requests
// (autoBreadcrumbs: { http: true }) that calls a backend on every request.
// In 1.1.4 each outgoing http.ClientRequest gets its emit wrapped with
// fill(self, 'emit', ..., originals), which pushes [request, 'emit', orig]
// onto the module-level originals array; 1.1.6 wraps the prototype once.
// The backend is a local server.
'use strict';
const http = require('http');
const Raven = require('raven');
const serve = require('./serve');

const backend = http.createServer((req, res) => res.end('pong'));

backend.listen(0, '127.0.0.1', () => {
  Raven.config(false, { autoBreadcrumbs: { http: true, console: false } }).install();
  const port = backend.address().port;
  serve(() => new Promise((resolve, reject) => {
    http.get({ host: '127.0.0.1', port, path: '/ping' }, (res) => {
      res.resume();
      res.on('end', resolve);
    }).on('error', reject);
  }));
});
